import type { AppStatus, CycleSummary } from "../../../shared/ipc/model";

export interface StatusInput {
  configured: boolean;
  /** Why a cycle cannot run at all (missing secret, blocking rule problem), in words. */
  blocker: string | null;
  paused: boolean;
  running: boolean;
  /** The admin cancelled the running cycle; it stops once its requests in flight are answered. */
  cancelling: boolean;
  /** Who runs the cycle recorded as running, when another process holds the cycle lock; null when none does. */
  runningElsewhere: { owner: string; pid: number | null } | null;
  lastCycle: CycleSummary | null;
  /** The last attempt that failed before a cycle could even start (lock, credentials). */
  lastError: string | null;
}

const failures = (cycle: CycleSummary) => cycle.counts.users.failed + cycle.counts.groups.failed;

/** The one status the dashboard and tray show, with a sentence an admin understands. */
export function computeStatus(input: StatusInput): { status: AppStatus; statusMessage: string } {
  if (!input.configured)
    return {
      status: "warning",
      statusMessage: "No profile yet: set up the connections to Entra ID and the target app.",
    };
  if (input.running)
    return {
      status: "syncing",
      statusMessage: input.cancelling
        ? "Cancelling: waiting for the requests already sent, then the cycle stops."
        : "A sync cycle is running.",
    };
  if (input.paused)
    return { status: "paused", statusMessage: "Provisioning is paused: no cycles run until you resume." };
  if (input.blocker) return { status: "error", statusMessage: input.blocker };
  if (input.lastError) return { status: "error", statusMessage: input.lastError };
  const last = input.lastCycle;
  if (!last) return { status: "idle", statusMessage: "Ready: no cycle has run yet." };
  const preview = last.dryRun ? "preview " : "";
  switch (last.outcome) {
    case "succeeded":
      return { status: "idle", statusMessage: `Last ${preview}cycle succeeded.` };
    case "completedWithFailures":
      return {
        status: "warning",
        statusMessage: `Last ${preview}cycle finished with ${failures(last)} failed object(s): see the log.`,
      };
    case "stoppedByDeletionThreshold":
      return {
        status: "warning",
        statusMessage:
          "Last cycle stopped: it planned more disables and deletes than the deletion threshold allows. Review the held deletions (Dashboard → Review held deletions, or the StagedDelete entries in the log), then allow them once or fix the cause.",
      };
    case "stoppedByCanary":
      return {
        status: "warning",
        statusMessage:
          "Last cycle stopped: Entra ID returned far fewer objects in scope than before, and nothing was changed. Check the scope, the app's assignments and the Graph permissions; if the drop is intended, preview past this check (Dashboard → Preview what would go, or sync --dry-run --allow-deletes) and apply what you approve.",
      };
    case "quarantined":
      return {
        status: "error",
        statusMessage: `${last.error ?? "Quarantined: most requests failed."} Scheduled cycles now run less often (after 6 h, 12 h, then daily) until one succeeds.`,
      };
    case "cancelled":
      return {
        status: "warning",
        statusMessage:
          "The last cycle was cancelled. Nothing further was sent; the next cycle picks up from the last saved point.",
      };
    case "failed":
      return { status: "error", statusMessage: `Last cycle failed: ${last.error ?? "see the log"}` };
    case "running":
      if (input.runningElsewhere) {
        const { owner, pid } = input.runningElsewhere;
        return {
          status: "syncing",
          statusMessage: `A sync cycle is running in ${owner}${pid === null ? "" : ` (process ${pid})`}.`,
        };
      }
      // Recorded as running, but no process holds the cycle lock: the process ended before the cycle did.
      return {
        status: "warning",
        statusMessage:
          "The last cycle was interrupted before it finished; the next one picks up from the last saved point.",
      };
  }
}
