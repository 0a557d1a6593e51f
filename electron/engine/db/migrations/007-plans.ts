import type { Migration } from "./types";

/** Plans of previews and of cycles stopped at a gate: what the admin reviews, approves in part and applies. */
export const migration007: Migration = {
  version: 7,
  name: "plans",
  up(db) {
    db.exec(`
      CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        profile TEXT NOT NULL,
        cycle_id INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        delta_users TEXT NOT NULL,
        delta_groups TEXT NOT NULL,
        items TEXT NOT NULL,
        failures TEXT NOT NULL
      );
      CREATE INDEX plans_by_cycle ON plans (profile, cycle_id);
    `);
  },
};
