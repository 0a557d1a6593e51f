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

/**
 * What the IPC handlers need from the engine. The engine (electron/engine/service.ts) implements it;
 * the handler table in electron/app/ maps the contract onto it, so both transports share one implementation.
 */
export interface EngineService {
  dashboard(): Dashboard;
  provisionNow(options: { dryRun: boolean; full: boolean; allowDeletes: boolean }): Promise<CycleSummary>;
  setPaused(paused: boolean): Dashboard;
  /** Asks the running cycle to stop (no-op when none runs); the dashboard shows it stopping. */
  cancel(): Dashboard;
  /** The next cycle is a full one: delta links, escrow and quarantine cleared, links kept. */
  restart(): Dashboard;
  /** Leaves quarantine and runs a cycle now. */
  retryNow(): Promise<CycleSummary>;
  connections(): ConnectionsView;
  /** Stores a secret of the profile in use (OS keychain in the app). */
  setSecret(name: "client-secret" | "scim-token", value: string): Promise<void>;
  testConnection(side: "source" | "target" | "both"): Promise<ConnectionCheck[]>;
  rules(): { rules: unknown; problems: { path: string; severity: "error" | "warning"; message: string }[] };
  /** Scoping and mappings for one directory user (UPN or object id), read live from Entra ID. */
  testRules(user: string): Promise<RulesTestView>;
  logs(query: { cycleId?: number; limit: number }): LogEntry[];
  cycles(limit: number): CycleSummary[];
  browseTarget(limit: number): Promise<TargetBrowse>;
  /** Contract events (log entries, progress, finished cycles, dashboard changes). Returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}
