import { Notification } from "electron";
import type { CycleSummary } from "../../shared/ipc/model";
import type { EngineService } from "../app/engine-port";

export interface CycleNotice {
  title: string;
  body: string;
}

/**
 * What a finished cycle is worth a native notification for: only what needs the admin (quarantine or refused
 * credentials, a failed cycle, a safety gate that stopped it). Dry runs, successes and cancels stay quiet.
 */
export function cycleNotice(cycle: CycleSummary): CycleNotice | null {
  if (cycle.dryRun) return null;
  const detail = cycle.error ?? "Open ProvisionDesk to see what happened.";
  switch (cycle.outcome) {
    case "quarantined":
      return { title: "ProvisionDesk is in quarantine", body: detail };
    case "failed":
      return { title: "Provisioning failed", body: detail };
    case "stoppedByDeletionThreshold":
      return {
        title: "Provisioning stopped: too many deletions",
        body: "Nothing was deleted. Review the held deletions in ProvisionDesk and allow them if they are expected.",
      };
    case "stoppedByCanary":
      return {
        title: "Provisioning stopped: Entra ID returned too few objects",
        body: "Nothing was changed. Check the connection to Entra ID and the scope, then run again.",
      };
    default:
      return null;
  }
}

/** Shows a native notification for each finished cycle that needs the admin; clicking it opens the window. */
export function notifyCycles(service: EngineService, open: () => void): () => void {
  return service.on("cycle.finished", (cycle) => {
    const notice = cycleNotice(cycle);
    if (!notice || !Notification.isSupported()) return;
    const notification = new Notification(notice);
    notification.on("click", open);
    notification.show();
  });
}
