import { z } from "zod";
import { RulesSchema } from "../config/mappings";
import { ProfileNameSchema, ProfileSchema } from "../config/profile";

/** Values the engine produces and the UI shows; declared once, validated at the boundary. */

export const ObjectTypeSchema = z.enum(["user", "group"]);
export const LogActionSchema = z.enum(["Create", "Update", "Disable", "Delete", "StagedDelete", "Other"]);
export const LogStatusSchema = z.enum(["Success", "Failure", "Skipped", "Warning"]);
/** "cycle": an entry about a whole cycle that failed or stopped before touching objects (credentials, a gate, a lock). */
export const LogObjectTypeSchema = z.enum(["user", "group", "cycle"]);

export const LogEntrySchema = z.object({
  id: z.number().int(),
  cycleId: z.number().int(),
  at: z.string(),
  objectType: LogObjectTypeSchema,
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
  /**
   * Ids to quote to support, each labelled: "client-request-id <id>" (what ProvisionDesk sent) and
   * "request-id <id> (<host>)" (what Graph or the target returned).
   */
  requestIds: z.array(z.string()),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

/** Server-side log filters: every field narrows the result (AND); list fields match any of their values. */
export const LogFiltersSchema = z
  .object({
    /** ISO 8601 times, inclusive. */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    status: z.array(LogStatusSchema).max(4).optional(),
    action: z.array(LogActionSchema).max(6).optional(),
    objectType: z.array(LogObjectTypeSchema).max(3).optional(),
    cycleId: z.number().int().positive().optional(),
    /** Ignores case and accents ("bjorn" finds "Björn"); matches the UPN, email, display name and the ids. */
    identity: z.string().trim().max(256).optional(),
  })
  .strict();
export type LogFilters = z.infer<typeof LogFiltersSchema>;

/** One page of the log, newest first; pass nextCursor as `cursor` for the next (older) page. */
export const LogPageSchema = z.object({
  entries: z.array(LogEntrySchema),
  nextCursor: z.number().int().nullable(),
  /** Entries matching the filters, over all pages. */
  total: z.number().int(),
});
export type LogPage = z.infer<typeof LogPageSchema>;

export const LogExportFormatSchema = z.enum(["csv", "json"]);
export type LogExportFormat = z.infer<typeof LogExportFormatSchema>;

/** A whole export as one file: the window saves it (a save dialog in Electron, a download in browser mode). */
export const LogExportSchema = z.object({ filename: z.string(), content: z.string(), count: z.number().int() });
export type LogExport = z.infer<typeof LogExportSchema>;

/** An object held back after failures: tried again at nextAttemptAt (Restart tries it at once). */
export const EscrowItemSchema = z.object({
  type: ObjectTypeSchema,
  sourceId: z.string(),
  displayName: z.string(),
  error: z.string(),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
});
export type EscrowItem = z.infer<typeof EscrowItemSchema>;

/** What "Send test email" did: who it went to. */
export const AlertTestResultSchema = z.object({ to: z.array(z.string()), messageId: z.string().nullable() });
export type AlertTestResult = z.infer<typeof AlertTestResultSchema>;

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
  /** Stopped by the admin: requests in flight finished, nothing further was sent, the delta links were kept. */
  "cancelled",
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
  /** Of the current phase. */
  done: z.number().int(),
  total: z.number().int(),
  /** Whole-cycle counts so far: users and groups read from Entra, objects evaluated, changes applied (of planned). */
  counts: z.object({
    usersRead: z.number().int(),
    groupsRead: z.number().int(),
    evaluated: z.number().int(),
    toEvaluate: z.number().int(),
    applied: z.number().int(),
    toApply: z.number().int(),
  }),
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
  /** Something the admin should know that is not the status, e.g. that a damaged state database was set aside. */
  notice: z.string().optional(),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const ConnectionCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  message: z.string(),
  detail: z.string().optional(),
  /** The check failed because a credential or permission was refused (the CLI exits 4). */
  refused: z.boolean().optional(),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheckSchema>;

/** A profile as the renderer sees it: everything but secrets, which are only reported as present or not. */
export const ConnectionsViewSchema = z.object({
  profile: ProfileSchema.nullable(),
  secrets: z.object({ clientSecret: z.boolean(), scimToken: z.boolean(), smtpPassword: z.boolean() }),
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
  problems: z.array(z.lazy(() => ProblemSchema)),
});
export type RulesTestView = z.infer<typeof RulesTestViewSchema>;

/**
 * One thing wrong with a profile, at its JSON path (`target.tenantUrl`, `rules.users.mappings.2.expression`; "" for the
 * whole file). "error" refuses a save; "warning" is shown but saved. `offset` is the position inside an expression.
 */
export const ProblemSchema = z.object({
  path: z.string(),
  severity: z.enum(["error", "warning"]),
  message: z.string(),
  offset: z.number().int().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/** The rules a cycle uses (the profile's own or the preset's defaults) and what is wrong with them. */
export const RulesViewSchema = z.object({ rules: RulesSchema, problems: z.array(ProblemSchema) });
export type RulesView = z.infer<typeof RulesViewSchema>;

export const ProfileSummarySchema = z.object({
  name: ProfileNameSchema,
  /** Goes up by one with every save; a save names the revision it was based on. */
  revision: z.number().int().min(1),
  updatedAt: z.string(),
});
export const ProfileListSchema = z.object({
  /** The profile the app and the CLI use when none is named. */
  active: z.string().nullable(),
  profiles: z.array(ProfileSummarySchema),
});
export type ProfileList = z.infer<typeof ProfileListSchema>;

/** The profile in use (never a secret; those are only in the OS keychain), its revision, and what is wrong with it. */
export const ProfileViewSchema = z.object({
  profile: ProfileSchema.nullable(),
  revision: z.number().int().nullable(),
  problems: z.array(ProblemSchema),
});
export type ProfileView = z.infer<typeof ProfileViewSchema>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);

/** One setting that differs between the stored profile and a save based on an older revision (null: absent). */
export const ProfileChangeSchema = z.object({ path: z.string(), stored: JsonValueSchema, submitted: JsonValueSchema });
export type ProfileChange = z.infer<typeof ProfileChangeSchema>;

/**
 * A save is all-or-nothing: "invalid" and "conflict" leave the stored profile exactly as it was.
 * "conflict": the profile was changed (by the app or `config import`) since `baseRevision`; `revision` is the stored
 * one (null when no profile of that name exists any more) and `changes` what differs from the submitted profile.
 */
export const ProfileSaveResultSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("saved"), revision: z.number().int().min(1), problems: z.array(ProblemSchema) }),
  z.object({ status: z.literal("invalid"), problems: z.array(ProblemSchema) }),
  z.object({
    status: z.literal("conflict"),
    revision: z.number().int().nullable(),
    changes: z.array(ProfileChangeSchema),
  }),
]);
export type ProfileSaveResult = z.infer<typeof ProfileSaveResultSchema>;
