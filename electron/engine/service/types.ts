import type { Profile, SecretName } from "../../../shared/config/profile";
import type { EngineService } from "../../app/engine-port";
import type { CycleOptions, CycleResult } from "../cycle";
import type { ProvisionOneResult } from "../cycle/provision-one";
import type { CycleLockWait } from "../lock";
import type { RulesTestReport } from "./cycle-runner";

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
  /** provisionNow with the whole result: the failure kind ("auth": exit code 4) and the quarantine decision. */
  runCycle(options: CycleOptions, lockWait?: CycleLockWait): Promise<CycleResult>;
  testRules(user: string): Promise<RulesTestReport>;
  close(): Promise<void>;
}
