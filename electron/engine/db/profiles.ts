import type { Database } from "better-sqlite3";

/** A profile as versions before migration 002 kept it in the state database. */
export interface LegacyProfileRow {
  name: string;
  json: string;
  updated: string;
}

/** Profiles an older state database still holds (migration 002 removes the table once they are kept elsewhere). */
export function readLegacyProfiles(db: Database): LegacyProfileRow[] {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version !== 1) return [];
  return db.prepare("SELECT name, json, updated FROM profiles ORDER BY name").all() as LegacyProfileRow[];
}

/** Tables of the state database keyed by profile name. */
const PROFILE_TABLES = [
  "source_objects",
  "links",
  "exported",
  "group_members_exported",
  "intents",
  "delta_links",
  "cycles",
  "log_entries",
  "escrow",
  "quarantine_cleared",
] as const;

/** Moves a profile's cached state and history to its new name, so links survive a rename. */
export function renameProfileState(db: Database, from: string, to: string): void {
  db.transaction(() => {
    for (const table of PROFILE_TABLES) {
      db.prepare(`DELETE FROM ${table} WHERE profile = ?`).run(to);
      db.prepare(`UPDATE ${table} SET profile = ? WHERE profile = ?`).run(to, from);
    }
  })();
}

/** Forgets a deleted profile's cached state and history. */
export function deleteProfileState(db: Database, name: string): void {
  db.transaction(() => {
    // log_entries first: they reference cycles.
    for (const table of [...PROFILE_TABLES].reverse()) db.prepare(`DELETE FROM ${table} WHERE profile = ?`).run(name);
  })();
}
