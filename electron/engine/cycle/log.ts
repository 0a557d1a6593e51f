import type { Database } from "better-sqlite3";
import type { LogEntry } from "../../../shared/ipc/model";
import { insertLogEntry } from "../db";
import { ScimError } from "../target";

export type LogInput = Omit<
  LogEntry,
  "id" | "cycleId" | "at" | "errorCode" | "message" | "recommendation" | "requestIds"
> &
  Partial<Pick<LogEntry, "errorCode" | "message" | "recommendation" | "requestIds">>;

export type CycleLogger = (entry: LogInput) => LogEntry;

export function createLogger(
  db: Database,
  profile: string,
  cycleId: number,
  now: () => Date,
  onLog?: (e: LogEntry) => void,
): CycleLogger {
  return (input) => {
    const entry = insertLogEntry(db, profile, {
      errorCode: null,
      message: null,
      recommendation: null,
      ...input,
      requestIds: input.requestIds ?? [],
      cycleId,
      at: now().toISOString(),
    });
    onLog?.(entry);
    return entry;
  };
}

const RECOMMENDATIONS: Record<string, string> = {
  unauthorized: "Update the secret token in Connections → Target, then run the cycle again.",
  forbidden: "Check the token's permissions in the target app.",
  invalid: "Check the attribute mappings and the object's values in Entra ID; the object is retried in a later cycle.",
  throttled: "Lower the request rate in Connections → Target; the object is retried in a later cycle.",
  server: "The target app had a problem; the object is retried in a later cycle.",
  network: "Check the network path to the target (proxy, firewall, VPN); the object is retried in a later cycle.",
  conflict: "Make the matching value unique in the target app.",
  notFound: "The object was removed in the target app; it is created again if it is still in scope.",
};

/** Log fields for a failure: Entra-style code, what happened, what to do, and the target's request id. */
export function errorFields(error: unknown): Pick<LogEntry, "errorCode" | "message" | "recommendation" | "requestIds"> {
  if (error instanceof ScimError) {
    return {
      errorCode: error.code,
      message:
        error.detail && !error.message.includes(error.detail) ? `${error.message} (${error.detail})` : error.message,
      recommendation: error.recommendation ?? RECOMMENDATIONS[error.kind] ?? null,
      requestIds: error.requestId ? [error.requestId] : [],
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    errorCode: "Unexpected",
    message,
    recommendation: "Retry the cycle; if it keeps failing, report this message.",
    requestIds: [],
  };
}
