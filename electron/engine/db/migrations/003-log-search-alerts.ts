import type { Database } from "better-sqlite3";
import { identityValues } from "../log-identity";
import { parseJson } from "../json";
import { searchText } from "../../logs/search-text";
import type { Migration } from "./types";

/** Fills the search column of entries written before it existed (display name, ids, UPN and mail from the mirror). */
function backfillSearch(db: Database): void {
  const rows = db
    .prepare("SELECT id, profile, object_type, source_id, target_id, display_name, modified FROM log_entries")
    .all() as {
    id: number;
    profile: string;
    object_type: string;
    source_id: string;
    target_id: string | null;
    display_name: string;
    modified: string;
  }[];
  const update = db.prepare("UPDATE log_entries SET search = ? WHERE id = ?");
  for (const r of rows) {
    const values = identityValues(db, r.profile, {
      objectType: r.object_type,
      sourceId: r.source_id,
      targetId: r.target_id,
      displayName: r.display_name,
      modified: parseJson(r.modified, []),
    });
    update.run(searchText(values), r.id);
  }
}

/**
 * The log answers "why" at scale: a folded identity column for accent- and case-blind search, indexes for the
 * filters the window offers, and the alert state that keeps alerts to one mail per reason.
 */
export const migration003: Migration = {
  version: 3,
  name: "log search, log filter indexes, alert state",
  up(db) {
    db.exec(`
      -- Lower case, accents removed: display name, source and target ids, UPN, mail (see logs/search-text.ts).
      ALTER TABLE log_entries ADD COLUMN search TEXT NOT NULL DEFAULT '';
      -- (cycle_id, id) serves a cycle's page; counting a cycle's entries of one profile needs the profile first.
      CREATE INDEX log_entries_by_profile_cycle ON log_entries (profile, cycle_id, id);
      CREATE INDEX log_entries_by_status ON log_entries (profile, status, id);
      CREATE INDEX log_entries_by_action ON log_entries (profile, action, id);
      CREATE INDEX log_entries_by_time ON log_entries (profile, at);
      CREATE INDEX cycles_by_start ON cycles (profile, started_at);

      -- An open alert per reason: mailed once when it opens (or its detail changes), once more when it clears.
      CREATE TABLE alert_state (
        profile TEXT NOT NULL,
        reason TEXT NOT NULL,
        -- what the mail said; a different fingerprint for the same reason is a new alert
        fingerprint TEXT NOT NULL,
        subject TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        -- null until a mail went out (no recipients configured, or the SMTP server refused it)
        sent_at TEXT,
        PRIMARY KEY (profile, reason)
      ) WITHOUT ROWID;

      CREATE TABLE alert_digest (
        profile TEXT PRIMARY KEY,
        sent_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
    backfillSearch(db);
  },
};
