import type { EventName, EventOf } from "../../shared/ipc/contract";
import type {
  AlertTestResult,
  ConnectionCheck,
  ConnectionsView,
  CycleSummary,
  Dashboard,
  LogExport,
  LogExportFormat,
  LogFilters,
  LogPage,
  RulesTestView,
  TargetBrowse,
} from "../../shared/ipc/model";

/**
 * What the IPC handlers need from the engine. The engine (electron/engine/service.ts) implements it;
 * the handler table in electron/app/ maps the contract onto it, so both transports share one implementation.
 */
export interface EngineService {
  dashboard(): Dashboard;
  provisionNow(options: { dryRun: boolean; full: boolean; allowDeletes: boolean }): Promise<CycleSummary>;
  setPaused(paused: boolean): Dashboard;
  connections(): ConnectionsView;
  /** Stores a secret of the profile in use (OS keychain in the app). */
  setSecret(name: "client-secret" | "scim-token", value: string): Promise<void>;
  testConnection(side: "source" | "target" | "both"): Promise<ConnectionCheck[]>;
  rules(): { rules: unknown; problems: { path: string; severity: "error" | "warning"; message: string }[] };
  /** Scoping and mappings for one directory user (UPN or object id), read live from Entra ID. */
  testRules(user: string): Promise<RulesTestView>;
  /** One page of the log, newest first, filtered in the database. */
  logs(query: LogFilters & { cursor?: number; limit: number }): LogPage;
  /** Every entry matching the filters (or the newest `limit`), newest first, in Entra's export layout. */
  exportLogs(filters: LogFilters, format: LogExportFormat, limit?: number): LogExport;
  /** Mails a test message to the profile's alert recipients. */
  sendTestAlert(): Promise<AlertTestResult>;
  cycles(limit: number): CycleSummary[];
  browseTarget(limit: number): Promise<TargetBrowse>;
  /** Contract events (log entries, progress, finished cycles, dashboard changes). Returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}
