import type { Migration } from "./types";

/**
 * Memberships the target refused, one row per group member: a refusal that only a change in Entra or in the target
 * can lift (a member limit, an invalid value) waits for its back-off instead of being re-sent every cycle, and keeps
 * the target's words so the dashboard and the log can show the cause.
 */
export const migration004: Migration = {
  version: 4,
  name: "membership escrow",
  up(db) {
    db.exec(`
      CREATE TABLE membership_escrow (
        profile TEXT NOT NULL,
        group_source_id TEXT NOT NULL,
        member_source_id TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('add', 'remove')),
        attempts INTEGER NOT NULL,
        retry_after TEXT NOT NULL,
        error_code TEXT NOT NULL,
        last_error TEXT NOT NULL,
        recommendation TEXT,
        PRIMARY KEY (profile, group_source_id, member_source_id)
      ) WITHOUT ROWID;
    `);
  },
};
