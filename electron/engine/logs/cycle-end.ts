import type { Database } from "better-sqlite3";
import type { CycleSummary, LogEntry } from "../../../shared/ipc/model";
import { deleteOldLog, finishCycle, insertLogEntry, startCycle } from "../db";
import { CycleLockedError } from "../lock";
import { EngineError } from "../service/errors";
import { GraphError, SourceAuthError } from "../source/errors";
import { ScimError } from "../target/errors";

const DAY = 86_400_000;

const OUTCOME_CODES: Partial<Record<CycleSummary["outcome"], string>> = {
  failed: "CycleFailed",
  quarantined: "Quarantined",
  stoppedByDeletionThreshold: "DeletionThresholdExceeded",
  stoppedByCanary: "SourceCanaryTripped",
};

const RECOMMENDATIONS: Partial<Record<CycleSummary["outcome"], string>> = {
  stoppedByDeletionThreshold:
    "If the held deletions are intended, review them (Dashboard → Review held deletions, or sync --dry-run " +
    "--allow-deletes) and apply what you approve; otherwise fix the cause in Entra ID.",
  stoppedByCanary:
    "Check the app's assignments and the Graph permissions in Entra ID; if the drop is intended, preview past this " +
    "check (Dashboard → Preview what would go, or sync --dry-run --allow-deletes) and apply what you approve.",
};

/** The error code and ids a refused or failed request carries, for the cycle's own log entry. */
function causeFields(cause: unknown): { errorCode?: string; requestIds: string[] } {
  if (cause instanceof GraphError)
    return {
      errorCode: cause.code,
      requestIds: [
        `client-request-id ${cause.clientRequestId}`,
        ...(cause.requestId ? [`request-id ${cause.requestId} (Microsoft Graph)`] : []),
      ],
    };
  if (cause instanceof ScimError)
    return {
      errorCode: cause.code,
      requestIds: [
        ...(cause.clientRequestId ? [`client-request-id ${cause.clientRequestId}`] : []),
        ...(cause.requestId ? [`request-id ${cause.requestId} (target)`] : []),
      ],
    };
  if (cause instanceof SourceAuthError)
    return {
      errorCode: cause.aadsts ? `AADSTS${cause.aadsts}` : "SourceAuthenticationFailed",
      // Entra's token errors carry "Trace ID: …" and "Correlation ID: …" in their description.
      requestIds: [
        ...new Set(
          [...cause.detail.matchAll(/(Trace|Correlation) ID:\s*([0-9a-f-]{36})/gi)].map(
            (m) => `${m[1]!.toLowerCase()}-id ${m[2]} (Entra ID)`,
          ),
        ),
      ],
    };
  if (cause instanceof CycleLockedError) return { errorCode: "CycleLocked", requestIds: [] };
  if (cause instanceof EngineError && cause.kind === "auth") return { errorCode: "Unauthorized", requestIds: [] };
  return { requestIds: [] };
}

function cycleEntry(summary: CycleSummary, cause: unknown, recommendation: string | null): Omit<LogEntry, "id"> {
  const fields = causeFields(cause);
  const message = summary.error ?? "The cycle ended before it changed anything.";
  return {
    cycleId: summary.id,
    at: summary.endedAt ?? summary.startedAt,
    objectType: "cycle",
    sourceId: "",
    targetId: null,
    displayName: `Cycle ${summary.id}`,
    action: "Other",
    status: summary.outcome.startsWith("stopped") ? "Skipped" : "Failure",
    modified: [],
    steps: [{ name: "Cycle", status: summary.outcome.startsWith("stopped") ? "Skipped" : "Failure", detail: message }],
    errorCode: fields.errorCode ?? OUTCOME_CODES[summary.outcome] ?? "CycleFailed",
    message,
    recommendation: RECOMMENDATIONS[summary.outcome] ?? recommendation,
    requestIds: fields.requestIds,
  };
}

export interface CycleEndInput {
  db: Database;
  profile: { name: string; log: { retentionDays: number } };
  summary: CycleSummary;
  /** The error that ended the cycle (a refused credential), when known. */
  cause: unknown;
  now: Date;
  onLog?: (entry: LogEntry) => void;
}

/**
 * What follows every cycle: a cycle that failed or stopped gets a log entry of its own (so "why did nothing happen"
 * has an answer in the log), then entries and cycles past the retention period are deleted.
 */
export function recordCycleEnd(input: CycleEndInput): void {
  const { db, profile, summary } = input;
  if (OUTCOME_CODES[summary.outcome]) {
    const entry = insertLogEntry(
      db,
      profile.name,
      cycleEntry(summary, input.cause, "Fix the cause named here, then run the cycle again."),
    );
    input.onLog?.(entry);
  }
  deleteOldLog(db, profile.name, new Date(input.now.getTime() - profile.log.retentionDays * DAY));
}

/** A cycle that could not start (lock taken, secret missing) is recorded as a failed cycle with its own log entry. */
export function recordStartFailure(
  db: Database,
  profile: string,
  options: { dryRun: boolean; full: boolean },
  error: unknown,
  now: Date,
  onLog?: (entry: LogEntry) => void,
): CycleSummary {
  const summary = startCycle(db, profile, options.full ? "initial" : "incremental", options.dryRun, now);
  summary.outcome = "failed";
  summary.endedAt = now.toISOString();
  summary.durationMs = 0;
  summary.error = `The cycle did not start: ${error instanceof Error ? error.message : String(error)}`;
  finishCycle(db, summary, null);
  const entry = insertLogEntry(
    db,
    profile,
    cycleEntry(summary, error, "Fix the cause named here, then run the cycle again."),
  );
  onLog?.(entry);
  return summary;
}
