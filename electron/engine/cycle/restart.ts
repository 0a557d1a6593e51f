import type { Database } from "better-sqlite3";
import { clearAllEscrow, clearDeltaLinks } from "../db";

/**
 * Entra's "Restart provisioning": the next cycle is an initial one (delta links cleared) and every escrowed object is
 * tried again; links between source and target objects are kept, so nothing is created twice.
 */
export function restartProvisioning(db: Database, profile: string): void {
  db.transaction(() => {
    clearDeltaLinks(db, profile);
    clearAllEscrow(db, profile);
  })();
}
