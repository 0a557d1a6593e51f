import type { Database } from "better-sqlite3";
import { atomically, clearAllEscrow, clearDeltaLinks, clearQuarantine } from "../db";

/**
 * Entra's "Restart provisioning": the next cycle is an initial one (delta links cleared), every escrowed object is
 * tried again and quarantine is left; links between source and target objects are kept, so nothing is created twice.
 */
export function restartProvisioning(db: Database, profile: string): void {
  atomically(db, () => {
    clearDeltaLinks(db, profile);
    clearAllEscrow(db, profile);
    clearQuarantine(db, profile);
  });
}
