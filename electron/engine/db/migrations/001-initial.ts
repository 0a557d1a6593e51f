import type { Migration } from "./types";

/** The first schema: the local mirror of Entra, links to target objects, what was exported, and cycle history. */
export const migration001: Migration = {
  version: 1,
  name: "initial schema",
  up(db) {
    db.exec(`
      CREATE TABLE profiles (
        name TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        updated TEXT NOT NULL
      );

      -- Local mirror of the source: Graph delta returns only changes, so the last known state lives here.
      CREATE TABLE source_objects (
        profile TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('user', 'group')),
        id TEXT NOT NULL,
        attributes TEXT NOT NULL,
        -- groups: JSON array of {id, type} direct members
        members TEXT,
        -- null (present), 'changed' (soft-deleted) or 'deleted' (purged)
        removed TEXT CHECK (removed IN ('changed', 'deleted')),
        PRIMARY KEY (profile, type, id)
      ) WITHOUT ROWID;

      CREATE TABLE links (
        profile TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('user', 'group')),
        source_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        matched_by TEXT NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (profile, type, source_id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX links_by_target ON links (profile, type, target_id);

      -- The values last written to (or read from) the target, by target path.
      CREATE TABLE exported (
        profile TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('user', 'group')),
        source_id TEXT NOT NULL,
        "values" TEXT NOT NULL,
        updated TEXT NOT NULL,
        PRIMARY KEY (profile, type, source_id)
      ) WITHOUT ROWID;

      -- Memberships the target holds according to our last export.
      CREATE TABLE group_members_exported (
        profile TEXT NOT NULL,
        group_source_id TEXT NOT NULL,
        member_source_id TEXT NOT NULL,
        member_target_id TEXT NOT NULL,
        PRIMARY KEY (profile, group_source_id, member_source_id)
      ) WITHOUT ROWID;

      -- Written before a create is sent, removed with the link it produces: a crash in between is resolved
      -- by looking the object up in the target before anything is re-sent.
      CREATE TABLE intents (
        profile TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('user', 'group')),
        source_id TEXT NOT NULL,
        action TEXT NOT NULL,
        payload TEXT NOT NULL,
        started TEXT NOT NULL,
        PRIMARY KEY (profile, type, source_id)
      ) WITHOUT ROWID;

      CREATE TABLE delta_links (
        profile TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('users', 'groups')),
        link TEXT NOT NULL,
        PRIMARY KEY (profile, kind)
      ) WITHOUT ROWID;

      CREATE TABLE cycles (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        profile TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('initial', 'incremental')),
        dry_run INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        outcome TEXT NOT NULL,
        counts TEXT NOT NULL,
        requests TEXT NOT NULL,
        duration_ms REAL,
        error TEXT,
        -- users + groups in scope at the end of the cycle, for the canary gate of the next one
        in_scope INTEGER
      );
      CREATE INDEX cycles_by_profile ON cycles (profile, id);

      CREATE TABLE log_entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        cycle_id INTEGER NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
        profile TEXT NOT NULL,
        at TEXT NOT NULL,
        object_type TEXT NOT NULL,
        source_id TEXT NOT NULL,
        target_id TEXT,
        display_name TEXT NOT NULL,
        action TEXT NOT NULL,
        status TEXT NOT NULL,
        modified TEXT NOT NULL,
        steps TEXT NOT NULL,
        error_code TEXT,
        message TEXT,
        recommendation TEXT,
        request_ids TEXT NOT NULL
      );
      CREATE INDEX log_entries_by_cycle ON log_entries (cycle_id, id);
      CREATE INDEX log_entries_by_profile ON log_entries (profile, id);

      -- Objects that failed, retried in later cycles with growing intervals.
      CREATE TABLE escrow (
        profile TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('user', 'group')),
        source_id TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        retry_after TEXT NOT NULL,
        last_error TEXT NOT NULL,
        PRIMARY KEY (profile, type, source_id)
      ) WITHOUT ROWID;
    `);
  },
};
