import type { Profile, SecretName } from "../../../shared/config/profile";
import type { DraftProfile } from "../../../shared/ipc/draft-model";
import type { EngineService } from "../../app/engine-port";
import type { CycleOptions, CycleResult } from "../cycle";
import type { ProvisionOneResult } from "../cycle/provision-one";
import type { ProvisionGroupResult } from "../cycle/provision-group";
import type { CycleLockWait } from "../lock";
import type { RulesTestReport } from "./rules-test";
import type { StoredPlan } from "../db";
import type { PlanApplyResult } from "../../../shared/ipc/plan-model";
import type { Approval } from "./plans";

import type { Problem } from "../../../shared/ipc/model";

export type RuleProblem = Problem;

/** The engine as the app, browser mode and the CLI use it: the IPC port plus what the CLI needs. */
export interface ProvisionDeskService extends EngineService {
  readonly dataDir: string;
  /** The profile in use, or null before one is imported. */
  profile(): Profile | null;
  /**
   * Stores a profile over whatever is stored under its name and makes it the one this process uses (demo, tests).
   * The same all-or-nothing check as saveProfile: any error throws ProfileValidationError and nothing is stored.
   */
  importProfile(profile: unknown): Promise<{ problems: Problem[]; revision: number }>;
  /** The profile in use as JSON an admin can edit and import again; profiles never hold secrets. */
  exportProfile(): string;
  /** Stores a secret of the profile in use, or of another stored profile (setup of an additional one). */
  setSecret(name: SecretName, value: string, profile?: string): Promise<void>;
  /** Re-reads whether each secret is available (keychain or environment) for connections() and the status; never throws. */
  refreshSecrets(): Promise<void>;
  /** Provision on demand: one user through Entra's steps, each with its outcome (under the cycle lock). */
  provisionOne(user: string): Promise<ProvisionOneResult>;
  /** Provision on demand: a group and up to 5 of its members, each through Entra's steps (under the cycle lock). */
  provisionGroup(group: string, members?: string[]): Promise<ProvisionGroupResult>;
  /** provisionNow with the whole result: the failure kind ("auth": exit code 4) and the quarantine decision. */
  runCycle(options: CycleOptions, lockWait?: CycleLockWait): Promise<CycleResult>;
  /** applyPlan for a plan saved to a file (`apply-plan`): its items are what the admin reviewed. */
  applySavedPlan(plan: StoredPlan, approval: Approval): Promise<PlanApplyResult>;
  testRules(user: string, draft?: DraftProfile): Promise<RulesTestReport>;
  close(): Promise<void>;
}
