import type { Profile, SecretName } from "../../../shared/config/profile";
import type { EngineService } from "../../app/engine-port";
import type { RulesTestReport } from "./cycle-runner";
import type { EngineErrorKind } from "./errors";

export type RuleProblem = { path: string; severity: "error" | "warning"; message: string };

/** One step of provisioning a single user on demand, as Entra's "Provision on demand" shows it. */
export interface TraceStep {
  name: string;
  status: "Success" | "Failure" | "Skipped" | "Warning";
  detail: string;
}

/** The engine as the app, browser mode and the CLI use it: the IPC port plus what the CLI needs. */
export interface ProvisionDeskService extends EngineService {
  readonly dataDir: string;
  /** The profile in use, or null before one is imported. */
  profile(): Profile | null;
  /** Validates nothing: pass a parsed profile (parseProfileJson). Stores it and makes it the one in use. */
  importProfile(profile: Profile): Promise<{ problems: RuleProblem[] }>;
  setSecret(name: SecretName, value: string): Promise<void>;
  /** Re-reads whether each secret is available (keychain or environment) for connections() and the status; never throws. */
  refreshSecrets(): Promise<void>;
  provisionOne(user: string): Promise<{ steps: TraceStep[]; [key: string]: unknown }>;
  /** Why the last cycle failed (its summary only carries the message): "auth" when a credential was refused. */
  lastFailureKind(): EngineErrorKind | null;
  testRules(user: string): Promise<RulesTestReport>;
  close(): Promise<void>;
}
