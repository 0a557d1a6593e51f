import type { Profile, SecretName } from "../../../shared/config/profile";
import type { DraftProfile } from "../../../shared/ipc/draft-model";
import type { EngineService } from "../../app/engine-port";
import type { ProvisionOneResult } from "../cycle/provision-one";
import type { RulesTestReport } from "./rules-test";
import type { EngineErrorKind } from "./errors";

export type RuleProblem = { path: string; severity: "error" | "warning"; message: string };

/** The engine as the app, browser mode and the CLI use it: the IPC port plus what the CLI needs. */
export interface ProvisionDeskService extends EngineService {
  readonly dataDir: string;
  /** The profile in use, or null before one is imported. */
  profile(): Profile | null;
  /**
   * Stores a profile and makes it the one in use. Text is parsed and validated first (ProfileValidationError names each
   * bad JSON path); returns what is wrong with its rules (an "error" blocks cycles until fixed).
   */
  importProfile(profile: Profile | string): Promise<{ problems: RuleProblem[] }>;
  /** The profile in use as JSON an admin can edit and import again; profiles never hold secrets. */
  exportProfile(): string;
  setSecret(name: SecretName, value: string): Promise<void>;
  /** Re-reads whether each secret is available (keychain or environment) for connections() and the status; never throws. */
  refreshSecrets(): Promise<void>;
  /** Provision on demand: one user through Entra's steps, each with its outcome (under the cycle lock). */
  provisionOne(user: string): Promise<ProvisionOneResult>;
  /** Why the last cycle, provisioning or connection test failed (results carry only messages): "auth" when a credential was refused. */
  lastFailureKind(): EngineErrorKind | null;
  testRules(user: string, draft?: DraftProfile): Promise<RulesTestReport>;
  close(): Promise<void>;
}
