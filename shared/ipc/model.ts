import { z } from "zod";

/** Values the engine produces and the UI shows; declared once, validated at the boundary. */

export const ObjectTypeSchema = z.enum(["user", "group"]);
export const LogActionSchema = z.enum(["Create", "Update", "Disable", "Delete", "StagedDelete", "Other"]);
export const LogStatusSchema = z.enum(["Success", "Failure", "Skipped", "Warning"]);

export const LogEntrySchema = z.object({
  id: z.number().int(),
  cycleId: z.number().int(),
  at: z.string(),
  objectType: ObjectTypeSchema,
  sourceId: z.string(),
  targetId: z.string().nullable(),
  displayName: z.string(),
  action: LogActionSchema,
  status: LogStatusSchema,
  /** old → new per target attribute. */
  modified: z.array(z.object({ attribute: z.string(), old: z.unknown(), new: z.unknown() })),
  steps: z.array(z.object({ name: z.string(), status: LogStatusSchema, detail: z.string() })),
  errorCode: z.string().nullable(),
  message: z.string().nullable(),
  recommendation: z.string().nullable(),
  requestIds: z.array(z.string()),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

const CountsSchema = z.object({
  create: z.number().int(),
  update: z.number().int(),
  disable: z.number().int(),
  delete: z.number().int(),
  stagedDelete: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
});
export type ActionCounts = z.infer<typeof CountsSchema>;

export const CycleOutcomeSchema = z.enum([
  "running",
  "succeeded",
  "completedWithFailures",
  "failed",
  "stoppedByDeletionThreshold",
  "stoppedByCanary",
  "quarantined",
]);
export type CycleOutcome = z.infer<typeof CycleOutcomeSchema>;

export const CycleSummarySchema = z.object({
  id: z.number().int(),
  kind: z.enum(["initial", "incremental"]),
  dryRun: z.boolean(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  outcome: CycleOutcomeSchema,
  counts: z.object({
    users: CountsSchema,
    groups: CountsSchema,
    memberships: z.object({ added: z.number().int(), removed: z.number().int() }),
  }),
  requests: z.object({ graph: z.number().int(), target: z.number().int() }),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
});
export type CycleSummary = z.infer<typeof CycleSummarySchema>;

export const ProgressSchema = z.object({
  cycleId: z.number().int(),
  phase: z.enum(["read", "scope", "match", "evaluate", "diff", "gates", "apply", "commit"]),
  done: z.number().int(),
  total: z.number().int(),
});
export type Progress = z.infer<typeof ProgressSchema>;

/** At-a-glance state, also drawn by the tray icon. */
export const AppStatusSchema = z.enum(["idle", "syncing", "warning", "error", "paused"]);
export type AppStatus = z.infer<typeof AppStatusSchema>;

export const DashboardSchema = z.object({
  profileName: z.string().nullable(),
  status: AppStatusSchema,
  statusMessage: z.string(),
  lastCycle: CycleSummarySchema.nullable(),
  nextCycleAt: z.string().nullable(),
  intervalMinutes: z.number().int().nullable(),
  progress: ProgressSchema.nullable(),
  /** Objects in the target linked to the source, by type. */
  linked: z.object({ users: z.number().int(), groups: z.number().int() }),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const ConnectionCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  message: z.string(),
  detail: z.string().optional(),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheckSchema>;

/** A profile as the renderer sees it: everything but secrets, which are only reported as present or not. */
export const ConnectionsViewSchema = z.object({
  profile: z.unknown().nullable(),
  secrets: z.object({ clientSecret: z.boolean(), scimToken: z.boolean() }),
});
export type ConnectionsView = z.infer<typeof ConnectionsViewSchema>;

export const TargetBrowseSchema = z.object({
  users: z.array(
    z.object({ id: z.string(), userName: z.string(), displayName: z.string().nullable(), active: z.boolean() }),
  ),
  groups: z.array(z.object({ id: z.string(), displayName: z.string(), memberCount: z.number().int() })),
  totalUsers: z.number().int(),
  totalGroups: z.number().int(),
});
export type TargetBrowse = z.infer<typeof TargetBrowseSchema>;

/**
 * One step of the engine's scope decision for one object, in the order the cycle decides: deleted in Entra, assignment or
 * picked groups (directly or through nested groups), the scoping filters, then the account's enabled state.
 */
export const ScopeStepSchema = z.object({
  step: z.enum(["deleted", "assignment", "groupMembership", "groupProvisioning", "scopingFilter", "accountState"]),
  /** pass: this step lets the object through; fail: it decides "out of scope"; info: recorded, not deciding. */
  outcome: z.enum(["pass", "fail", "info"]),
  message: z.string(),
  /** The group chain that brings the user into scope: the scoped group first, then each nested group down to the user. */
  via: z.array(z.object({ id: z.string(), displayName: z.string().nullable() })).optional(),
  /** The scoping clause that decided. */
  clause: z
    .object({
      filterIndex: z.number().int(),
      clauseIndex: z.number().int(),
      filterTitle: z.string().nullable(),
      attribute: z.string(),
      operator: z.string(),
      value: z.string().nullable(),
    })
    .optional(),
});
export type ScopeStep = z.infer<typeof ScopeStepSchema>;

/** One directory user run through the profile's scoping filters and mappings, before any cycle: "Test it before it runs". */
export const RulesTestViewSchema = z.object({
  user: z.object({ id: z.string(), userPrincipalName: z.string().nullable(), displayName: z.string().nullable() }),
  scope: z.object({
    /** The cycle's decision: assignment or group scope first, then the scoping filters. */
    inScope: z.boolean(),
    /** Entra's IsSoftDeleted for this user: out of scope, disabled or deleted (the target account is disabled). */
    isSoftDeleted: z.boolean(),
    reason: z.string(),
    steps: z.array(ScopeStepSchema),
  }),
  attributes: z.array(
    z.object({
      target: z.string(),
      type: z.string(),
      status: z.enum(["value", "null", "skipped", "error"]),
      matchingPrecedence: z.number().int().optional(),
      value: z.unknown().optional(),
      usedDefault: z.boolean().optional(),
      skippedBecause: z.string().optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
  wouldProvision: z.boolean(),
  /** What is wrong with the draft the test ran on (rule problems do not stop the test; empty for the stored profile). */
  problems: z.array(z.object({ path: z.string(), severity: z.enum(["error", "warning"]), message: z.string() })),
});
export type RulesTestView = z.infer<typeof RulesTestViewSchema>;
