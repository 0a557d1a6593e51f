import type { Migration } from "./types";

/**
 * Where the admin left quarantine (Restart, Retry now): quarantined cycles up to this cycle id no longer stretch the
 * schedule to the 6 h / 12 h / daily back-off, also after the app restarts.
 */
export const migration005: Migration = {
  version: 5,
  name: "quarantine cleared",
  up(db) {
    db.exec(`
      CREATE TABLE quarantine_cleared (
        profile TEXT PRIMARY KEY,
        through_cycle INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
