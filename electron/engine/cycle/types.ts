import type { Database } from "better-sqlite3";
import type { Profile } from "../../../shared/config/profile";
import type { Rules } from "../../../shared/config/mappings";
import type { CycleSummary, LogEntry, Progress } from "../../../shared/ipc/model";
import type { ObjectType } from "../db/types";
import type { GraphClient } from "../source";
import type { PlanChange, PlanItem } from "../../../shared/ipc/plan-model";
import type { EngineErrorKind } from "../service/errors";
import type { ScimClient } from "../target";

export interface CycleDeps {
  db: Database;
  profile: Profile;
  rules: Rules;
  graph: GraphClient;
  scim: ScimClient;
  now?: () => Date;
  onProgress?: (progress: Progress) => void;
  onLog?: (entry: LogEntry) => void;
  /** Cancels the cycle: objects not started are left alone, requests in flight finish, nothing is committed. */
  signal?: AbortSignal;
}

export interface CycleOptions {
  /** Same pipeline, nothing written to the target or the state database (the cycle row and its log excepted). */
  dryRun: boolean;
  /** Read everything from Entra and the target again instead of only changes. */
  full: boolean;
  /** Let this cycle's disables and deletes through the deletion threshold and the canary. */
  allowDeletes: boolean;
  /**
   * Apply exactly these items of a reviewed plan, and only if Entra has not changed them since: the cycle re-plans,
   * compares, and applies nothing when an approved item is planned differently now. Delta links do not move.
   */
  approved?: PlanItem[];
}

export type PlannedActionKind = "Create" | "Update" | "Disable" | "Delete" | "StagedDelete";

export interface AttributeChange {
  attribute: string;
  old: unknown;
  new: unknown;
}

/** One object-level action: what a preview shows and what apply performs. */
export interface PlannedAction {
  objectType: ObjectType;
  sourceId: string;
  displayName: string;
  action: PlannedActionKind;
  targetId: string | null;
  changes: AttributeChange[];
  /** Why (e.g. "unassigned from the app", "soft-deleted in Entra"). */
  reason: string;
}

/** Membership changes of one group, by source user id. */
export interface PlannedMembership {
  groupSourceId: string;
  displayName: string;
  add: string[];
  remove: string[];
  /** Changes the target refused earlier, held back until their escrow back-off is due (nothing is sent for them). */
  held?: HeldMember[];
}

export interface HeldMember {
  memberSourceId: string;
  op: "add" | "remove";
  errorCode: string;
  message: string;
  recommendation: string | null;
  retryAfter: string;
}

/** Objects that could not be planned (no matching value, several target matches, mapping errors). */
export interface PlannedFailure {
  objectType: ObjectType;
  sourceId: string;
  displayName: string;
  errorCode: string;
  message: string;
  recommendation: string;
}

export interface Plan {
  actions: PlannedAction[];
  memberships: PlannedMembership[];
  failures: PlannedFailure[];
}

/** Objects a cycle evaluated: all of them (a full read, or changed rules or scope settings), or only what changed. */
export interface Evaluation {
  reason: "full" | "rulesChanged" | "changes";
  users: number;
  groups: number;
  /** Groups whose memberships were compared with what the target holds. */
  memberships: number;
  /**
   * Members compared in those groups (their members in Entra looked at, plus those to remove): every member of a group,
   * or only those Entra changed (plan.ts membershipGroups).
   */
  members: number;
}

export interface CycleResult {
  /** As recorded, once, when the cycle closed. */
  summary: CycleSummary;
  /**
   * What the cycle planned, for previews, cycles stopped at a gate and applies refused for changes; null when it applied
   * its plan (what it did is in its log and counts: a large first cycle does not keep every user's changes) or stopped
   * before planning.
   */
  plan: Plan | null;
  /** What ended the cycle early, by kind ("auth": a credential was refused); null when it ran to the end, stopped at a gate or was cancelled. */
  failure: {
    kind: EngineErrorKind;
    message: string;
    /** The error itself, for its codes and request ids. */ error: unknown;
  } | null;
  /** What the cycle evaluated; null when it stopped before evaluating. */
  evaluation: Evaluation | null;
  /** Why this cycle put provisioning in quarantine (its outcome is then "quarantined"); null when it did not. */
  quarantine: string | null;
  /** The stored plan (previews, cycles stopped at a gate, applies refused for changes); null when none was stored. */
  planId: string | null;
  /** Approved items Entra changed since the preview: nothing was applied. Empty otherwise. */
  changes: PlanChange[];
}

/** What scope decided for one object. */
export interface ScopeDecision {
  /** In the app's scope (assigned / all / picked groups, and scoping filters). */
  inScope: boolean;
  /** Entra's IsSoftDeleted: out of scope, disabled, or soft-deleted. */
  softDeleted: boolean;
  /** Permanently deleted in Entra. */
  purged: boolean;
  reason: string;
}
