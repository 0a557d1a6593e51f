import type { EventName, EventOf } from "../../shared/ipc/contract";
import type {
  ConnectionCheck,
  ConnectionsView,
  CycleSummary,
  Dashboard,
  LogEntry,
  RulesTestView,
  TargetBrowse,
} from "../../shared/ipc/model";
import type {
  AssignmentsView,
  DirectoryUser,
  DraftProfile,
  ExpressionEvaluation,
  ExpressionFunction,
  GroupSearch,
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
  searchUsers(query: string, draft?: DraftProfile): Promise<DirectoryUser[]>;
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
  setPaused(paused: boolean): Dashboard;
  connections(): ConnectionsView;
  /** Stores a secret of the profile in use (OS keychain in the app). */
  setSecret(name: "client-secret" | "scim-token", value: string): Promise<void>;
  testConnection(side: "source" | "target" | "both"): Promise<ConnectionCheck[]>;
  rules(): { rules: unknown; problems: { path: string; severity: "error" | "warning"; message: string }[] };
  /** Scope (every step of the decision) and mappings for one directory user (UPN or object id), read live from Entra ID. */
  testRules(user: string, draft?: DraftProfile): Promise<RulesTestView>;
  logs(query: { cycleId?: number; limit: number }): LogEntry[];
  cycles(limit: number): CycleSummary[];
  browseTarget(limit: number): Promise<TargetBrowse>;
  /** Contract events (log entries, progress, finished cycles, dashboard changes). Returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}
