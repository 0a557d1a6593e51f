import { z } from "zod";
import { ProfileNameSchema, type ProfileInput } from "../config/profile";
import {
  AlertTestResultSchema,
  ConnectionCheckSchema,
  ConnectionsViewSchema,
  CycleSummarySchema,
  DashboardSchema,
  EscrowItemSchema,
  LogEntrySchema,
  ProfileListSchema,
  ProfileSaveResultSchema,
  ProfileViewSchema,
  LogExportFormatSchema,
  LogExportSchema,
  LogFiltersSchema,
  LogPageSchema,
  ProgressSchema,
  RulesTestViewSchema,
  RulesViewSchema,
  TargetBrowseSchema,
} from "./model";
import {
  AssignmentsSchema,
  DirectoryUserSchema,
  DraftProfileSchema,
  ExpressionEvaluationSchema,
  ExpressionFunctionSchema,
  GroupSearchSchema,
  PickedGroupsSchema,
  ScopePreviewSchema,
  SourceAttributesSchema,
  TargetAttributesSchema,
} from "./draft-model";
import { PlanApplyResultSchema, PlanFiltersSchema, PlanViewSchema } from "./plan-model";
import {
  GROUP_ON_DEMAND_MEMBERS,
  GroupMembersSchema,
  ProvisionGroupResultSchema,
  ProvisionOneResultSchema,
} from "./provision-model";
import type { Result } from "./result";

/**
 * The one IPC contract: every request the renderer may make (request → result) and every event main sends.
 * Both transports (Electron IPC and browser mode's WebSocket) carry exactly this, and both ends are typed from it.
 */
const method = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, result: Res) => ({ request, result });
const none = z.object({}).strict();
/** Methods that work on the stored profile, or on the draft being edited when one is given (first-run setup). */
const optionalDraft = z.object({ draft: DraftProfileSchema.optional() }).strict();

export const methods = {
  "dashboard.get": method(none, DashboardSchema),
  "sync.provisionNow": method(
    z
      .object({
        dryRun: z.boolean().default(false),
        full: z.boolean().default(false),
        allowDeletes: z.boolean().default(false),
      })
      .strict(),
    CycleSummarySchema,
  ),
  "sync.setPaused": method(z.object({ paused: z.boolean() }).strict(), DashboardSchema),
  /** Stops the running cycle: requests in flight finish, nothing further is sent; it ends "cancelled". */
  "sync.cancel": method(none, DashboardSchema),
  /** Entra's Restart provisioning: the next cycle is full; delta links, escrow and quarantine cleared, links kept. */
  "sync.restart": method(none, DashboardSchema),
  /** Leaves quarantine (the back-off) and runs a cycle now. */
  "sync.retryNow": method(none, CycleSummarySchema),
  /** Runs a dry run and stores its plan: items with stable ids, grouped by action, to approve or reject one by one. */
  /** A dry run stored as a plan; `allowDeletes` looks past the safety gates (after a canary stop) to list what would go. */
  "plan.preview": method(z.object({ allowDeletes: z.boolean().optional() }).strict(), PlanViewSchema),
  /** A stored plan by id, or the plan of a cycle (a preview, or one stopped at a safety gate with its held deletions). */
  "plan.get": method(
    z
      .object({
        planId: z.string().optional(),
        cycleId: z.number().int().optional(),
        filters: PlanFiltersSchema.optional(),
      })
      .strict()
      .refine((r) => r.planId !== undefined || r.cycleId !== undefined, "planId or cycleId is required"),
    PlanViewSchema,
  ),
  /**
   * Runs exactly the approved items (held deletions among them are allowed once). If Entra changed any of them since
   * the preview, nothing is applied: "changed" lists what changed, with the plan as it stands now.
   */
  "plan.apply": method(
    z
      .object({
        planId: z.string(),
        approved: z.union([z.literal("all"), z.array(z.string()).max(100_000)]),
        rejected: z.array(z.string()).max(100_000).optional(),
      })
      .strict(),
    PlanApplyResultSchema,
  ),
  "plan.exportCsv": method(
    z.object({ planId: z.string() }).strict(),
    z.object({ filename: z.string(), content: z.string() }),
  ),
  /**
   * Provision on demand: one user (UPN or object id) through Entra's steps (connection, import, scope with the
   * deciding rule, match, action with its request ids), then added to its provisioned target groups.
   */
  "provision.one": method(z.object({ user: z.string().trim().min(1).max(256) }).strict(), ProvisionOneResultSchema),
  /**
   * Provision on demand for a group (object id or display name) and up to 5 of its user members (those picked, or
   * the first 5 by name, not yet in the target group first), each through the steps; nothing removed from the group.
   */
  "provision.group": method(
    z
      .object({
        group: z.string().trim().min(1).max(256),
        members: z.array(z.string().trim().min(1).max(256)).max(GROUP_ON_DEMAND_MEMBERS).optional(),
      })
      .strict(),
    ProvisionGroupResultSchema,
  ),
  /** A group's direct user members (the first 100 by name), to pick the ones provision on demand takes. */
  "provision.groupMembers": method(z.object({ group: z.string().trim().min(1).max(256) }).strict(), GroupMembersSchema),
  "connections.get": method(none, ConnectionsViewSchema),
  /** Secrets go one way only: from the window into the OS keychain. Answers with presence flags, never the value. */
  "connections.setSecret": method(
    z
      .object({
        name: z.enum(["client-secret", "scim-token", "smtp-password"]),
        value: z.string().trim().min(1).max(8192),
        /** A stored profile other than the one in use (setup of an additional profile); default: the one in use. */
        profile: z.string().min(1).max(200).optional(),
      })
      .strict(),
    ConnectionsViewSchema,
  ),
  "connections.test": method(
    z.object({ side: z.enum(["source", "target", "both"]).default("both") }).strict(),
    z.array(ConnectionCheckSchema),
  ),
  "mappings.get": method(none, RulesViewSchema),
  "profiles.list": method(none, ProfileListSchema),
  /** Makes `name` the profile the app (and the CLI without --profile) uses. */
  "profiles.select": method(z.object({ name: ProfileNameSchema }).strict(), ProfileListSchema),
  /** Renames a profile with its secrets and history. */
  "profiles.rename": method(z.object({ from: ProfileNameSchema, to: ProfileNameSchema }).strict(), ProfileListSchema),
  /** Deletes a profile with its secrets and history. */
  "profiles.delete": method(z.object({ name: ProfileNameSchema }).strict(), ProfileListSchema),
  /**
   * Start at login, where the app runs in Electron (browser mode answers supported: false). With `enabled` it is
   * switched first; the answer is the setting as the OS now has it.
   */
  "app.loginItem": method(
    z.object({ enabled: z.boolean().optional() }).strict(),
    z.object({ supported: z.boolean(), enabled: z.boolean() }),
  ),
  "profile.get": method(none, ProfileViewSchema),
  /**
   * Validates and stores a profile under its `name`, all or nothing. `baseRevision` is the revision the edit started
   * from (null: create a new profile). Any JSON is accepted here so that problems come back with their paths.
   */
  "profile.save": method(
    z
      .object({
        profile: z.custom<ProfileInput>(
          (value) => typeof value === "object" && value !== null && !Array.isArray(value),
          "the profile must be a JSON object",
        ),
        baseRevision: z.number().int().min(1).nullable(),
      })
      .strict(),
    ProfileSaveResultSchema,
  ),
  /** Scope (with every step of the decision) and mappings for one user; on the draft when given, else the stored profile. */
  "rules.test": method(
    z.object({ user: z.string().trim().min(1).max(256), draft: DraftProfileSchema.optional() }).strict(),
    RulesTestViewSchema,
  ),
  /** Live "N of M users" and a sample for an unsaved draft: the cycle's scope decision on a fresh directory read. */
  "scope.preview": method(
    z.object({ draft: DraftProfileSchema, sample: z.number().int().min(0).max(100).default(10) }).strict(),
    ScopePreviewSchema,
  ),
  /** The enterprise app's assigned users and groups (read-only: managed in Entra). */
  "scope.assignments": method(optionalDraft, AssignmentsSchema),
  /** One expression evaluated for one directory user, with parse errors at their position. */
  "expression.evaluate": method(
    z
      .object({
        expression: z.string().max(20_000),
        userId: z.string().trim().min(1).max(256),
        draft: DraftProfileSchema.optional(),
      })
      .strict(),
    ExpressionEvaluationSchema,
  ),
  /** The expression language's functions, for completion and help. */
  "expression.functions": method(none, z.array(ExpressionFunctionSchema)),
  /** Groups whose name starts with `query` (all groups when empty), a page at a time, with member counts. */
  "directory.searchGroups": method(
    z
      .object({
        query: z.string().trim().max(256),
        cursor: z.string().max(128).optional(),
        draft: DraftProfileSchema.optional(),
      })
      .strict(),
    GroupSearchSchema,
  ),
  /** The picked groups (ids or names, as a profile stores them) with their names and member counts. */
  "directory.groups": method(
    z
      .object({ refs: z.array(z.string().trim().min(1).max(256)).max(200), draft: DraftProfileSchema.optional() })
      .strict(),
    PickedGroupsSchema,
  ),
  /** Users whose display name or UPN starts with `query` (at most 25). */
  "directory.searchUsers": method(
    z.object({ query: z.string().trim().min(1).max(256), draft: DraftProfileSchema.optional() }).strict(),
    z.array(DirectoryUserSchema),
  ),
  /** Source attributes for the mapping and filter pickers, including directory extensions found in the tenant. */
  "directory.attributes": method(optionalDraft, SourceAttributesSchema),
  /** Target attributes: the preset's schema, or what a generic SCIM target publishes at /Schemas. */
  "target.attributes": method(optionalDraft, TargetAttributesSchema),
  /**
   * Tests a draft's connections, with a new secret or token that is NOT stored (it travels one way, window to main,
   * and is never echoed or logged). Problems with the draft come back as failed checks named by their JSON path.
   */
  "connections.testDraft": method(
    z
      .object({
        draft: DraftProfileSchema,
        side: z.enum(["source", "target", "both"]).default("both"),
        clientSecret: z.string().trim().min(1).max(8192).optional(),
        scimToken: z.string().trim().min(1).max(8192).optional(),
      })
      .strict(),
    z.array(ConnectionCheckSchema),
  ),
  /** Newest first, filtered in the database, one page at a time (keyset: `cursor` is the last page's nextCursor). */
  "log.list": method(
    LogFiltersSchema.extend({
      cursor: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }).strict(),
    LogPageSchema,
  ),
  /** Every entry matching the filters, as Entra lays out its export (CSV: summary, steps and properties by Change Id). */
  "log.export": method(
    z.object({ filters: LogFiltersSchema.default({}), format: LogExportFormatSchema }).strict(),
    LogExportSchema,
  ),
  /** Sends a test message to the profile's alert recipients (alerts.email) and says where it went. */
  "alerts.sendTest": method(none, AlertTestResultSchema),
  /** Objects held in escrow after failures, with the last error and the next attempt. */
  "escrow.list": method(none, z.array(EscrowItemSchema)),
  /** "Retry now" on one held object: its back-off ends and an incremental cycle runs, which tries it. */
  "escrow.retry": method(
    EscrowItemSchema.pick({ type: true })
      .extend({ sourceId: z.string().min(1).max(256) })
      .strict(),
    CycleSummarySchema,
  ),
  "cycles.list": method(
    z.object({ limit: z.number().int().min(1).max(200).default(20) }).strict(),
    z.array(CycleSummarySchema),
  ),
  "target.browse": method(
    z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    TargetBrowseSchema,
  ),
} as const;

export const events = {
  "log.entry": LogEntrySchema,
  "cycle.progress": ProgressSchema,
  "cycle.finished": CycleSummarySchema,
  "dashboard.changed": DashboardSchema,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type EventName = keyof typeof events;
/** What a caller passes (defaults may be omitted). */
export type RequestOf<M extends MethodName> = z.input<Methods[M]["request"]>;
/** What a handler receives, after parsing. */
export type ParsedRequestOf<M extends MethodName> = z.output<Methods[M]["request"]>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]["result"]>;
export type EventOf<E extends EventName> = z.output<(typeof events)[E]>;

/** The API the renderer sees, whatever the transport. */
export interface ProvisionDeskApi {
  invoke<M extends MethodName>(method: M, request: RequestOf<M>): Promise<Result<ResultOf<M>>>;
  /** Returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === "string" && Object.hasOwn(methods, name);

/** What the Electron preload exposes as `window.provisionDesk`: the API plus the "my listeners are in place" signal. */
export interface PreloadBridge extends ProvisionDeskApi {
  ready(): void;
}

/** Browser mode's WebSocket frames: a call and its answer share `id`; events carry no id. */
export type WireCall = { id: number; method: string; payload: unknown };
export type WireMessage = { id: number; result: Result<unknown> } | { event: string; payload: unknown };
