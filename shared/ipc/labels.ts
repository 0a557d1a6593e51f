import type { CycleOutcome } from "./model";

/** How a cycle ended, in words (the window, the tray tooltip). */
export const outcomeLabel: Record<CycleOutcome, string> = {
  running: "Running",
  succeeded: "Succeeded",
  completedWithFailures: "Completed with failures",
  failed: "Failed",
  stoppedByDeletionThreshold: "Stopped: too many deletions",
  stoppedByCanary: "Stopped: source returned too few objects",
  quarantined: "Quarantined",
  cancelled: "Cancelled",
};
