import type { EventName, EventOf } from "../../shared/ipc/contract";
import type {
  AlertTestResult,
  ConnectionCheck,
  ConnectionsView,
  CycleSummary,
  Dashboard,
  EscrowItem,
  ProfileList,
  ProfileSaveResult,
  ProfileView,
  LogExport,
  LogExportFormat,
  LogFilters,
  LogPage,
  RulesTestView,
  RulesView,
  TargetBrowse,
} from "../../shared/ipc/model";
import type { PlanApplyResult, PlanFilters, PlanView } from "../../shared/ipc/plan-model";
import type { GroupMembers, ProvisionGroupResultView, ProvisionOneResultView } from "../../shared/ipc/provision-model";
import type {
  AssignmentsView,
  DirectoryUser,
  DraftProfile,
  ExpressionEvaluation,
  ExpressionFunction,
  GroupSearch,
  PickedGroups,
  ScopePreview,
  SourceAttributes,
  TargetAttributesView,
} from "../../shared/ipc/draft-model";

/**
 * What the configuration screens ask about the profile being edited. `draft` is the unsaved profile from the window;
 * without it the stored profile is used. Drafts are validated first: evaluations answer their problems, with JSON paths.
 */
export interface DraftQueries {
  previewScope(draft: DraftProfile, sample: number): Promise<ScopePreview>;
  assignments(draft?: DraftProfile): Promise<AssignmentsView>;
  evaluateExpression(request: {
    expression: string;
    userId: string;
    draft?: DraftProfile;
  }): Promise<ExpressionEvaluation>;
  expressionFunctions(): ExpressionFunction[];
  searchGroups(request: { query: string; cursor?: string; draft?: DraftProfile }): Promise<GroupSearch>;
  pickedGroups(refs: string[], draft?: DraftProfile): Promise<PickedGroups>;
  searchUsers(query: string, draft?: DraftProfile): Promise<DirectoryUser[]>;
  /** A group's direct user members to pick from for provision on demand. */
  groupMembers(group: string): Promise<GroupMembers>;
  sourceAttributes(draft?: DraftProfile): Promise<SourceAttributes>;
  targetAttributes(draft?: DraftProfile): Promise<TargetAttributesView>;
  /** Tests a draft's connections with secrets that are used once and never stored, echoed or logged. */
  testDraftConnection(request: {
    draft: DraftProfile;
    side: "source" | "target" | "both";
    clientSecret?: string;
    scimToken?: string;
  }): Promise<ConnectionCheck[]>;
}

/**
 * What the IPC handlers need from the engine. The engine (electron/engine/service.ts) implements it;
 * the handler table in electron/app/ maps the contract onto it, so both transports share one implementation.
 */
export interface EngineService extends DraftQueries {
  dashboard(): Dashboard;
  provisionNow(options: { dryRun: boolean; full: boolean; allowDeletes: boolean }): Promise<CycleSummary>;
  /** A dry run stored as a reviewable plan. */
  previewPlan(allowDeletes?: boolean): Promise<PlanView>;
  /** A stored plan by id, or the plan of a cycle (a preview, or a cycle stopped at a safety gate). */
  getPlan(ref: { planId?: string; cycleId?: number }, filters?: PlanFilters): PlanView;
  /** Runs exactly the approved items, unless Entra changed them since the preview. */
  applyPlan(planId: string, approval: { approved: string[] | "all"; rejected?: string[] }): Promise<PlanApplyResult>;
  exportPlanCsv(planId: string): { filename: string; content: string };
  /** Provision on demand: one user through Entra's five steps, added to its provisioned groups (under the cycle lock). */
  provisionOne(user: string): Promise<ProvisionOneResultView>;
  /** Provision on demand: a group and up to 5 of its members, each through the steps (under the cycle lock). */
  provisionGroup(group: string, members?: string[]): Promise<ProvisionGroupResultView>;
  setPaused(paused: boolean): Dashboard;
  /** Asks the running cycle to stop (no-op when none runs); the dashboard shows it stopping. */
  cancel(): Dashboard;
  /** The next cycle is a full one: delta links, escrow and quarantine cleared, links kept. */
  restart(): Dashboard;
  /** Leaves quarantine and runs a cycle now. */
  retryNow(): Promise<CycleSummary>;
  /** Ends one held object's back-off (with its refused memberships) and runs an incremental cycle that tries it. */
  retryEscrowed(type: EscrowItem["type"], sourceId: string): Promise<CycleSummary>;
  connections(): ConnectionsView;
  /** Stores a secret of the profile in use, or of another stored profile (OS keychain in the app). */
  setSecret(name: "client-secret" | "scim-token" | "smtp-password", value: string, profile?: string): Promise<void>;
  testConnection(side: "source" | "target" | "both"): Promise<ConnectionCheck[]>;
  rules(): RulesView;
  listProfiles(): ProfileList;
  /** Makes a stored profile the one in use, here and for the CLI without --profile. */
  selectProfile(name: string): Promise<ProfileList>;
  /** Renames a stored profile; its secrets and history move with it. */
  renameProfile(from: string, to: string): Promise<ProfileList>;
  /** Deletes a stored profile with its secrets and history. */
  deleteProfile(name: string): Promise<ProfileList>;
  /** The profile in use, its revision and its problems (no secret is ever part of a profile). */
  profileView(): ProfileView;
  /**
   * Validates and stores a profile (any JSON) under its name, all or nothing. `baseRevision`: the revision the edit
   * started from, null to create; "overwrite" replaces whatever is stored (an explicit `config import`).
   */
  saveProfile(input: unknown, baseRevision: number | null | "overwrite"): Promise<ProfileSaveResult>;
  /** Scope (every step of the decision) and mappings for one directory user (UPN or object id), read live from Entra ID. */
  testRules(user: string, draft?: DraftProfile): Promise<RulesTestView>;
  /** One page of the log, newest first, filtered in the database. */
  logs(query: LogFilters & { cursor?: number; limit: number }): LogPage;
  /** Every entry matching the filters (or the newest `limit`), newest first, in Entra's export layout. */
  exportLogs(filters: LogFilters, format: LogExportFormat, limit?: number): LogExport;
  /** Mails a test message to the profile's alert recipients. */
  sendTestAlert(): Promise<AlertTestResult>;
  cycles(limit: number): CycleSummary[];
  escrow(): EscrowItem[];
  browseTarget(limit: number): Promise<TargetBrowse>;
  /** Contract events (log entries, progress, finished cycles, dashboard changes). Returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}
