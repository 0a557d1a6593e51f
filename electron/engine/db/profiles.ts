import type { Database } from "better-sqlite3";
import { atomically } from "./atomically";

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

/** Every table of the state database keyed by profile name, found from the schema so new tables are never missed. */
function profileTables(db: Database): string[] {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  return tables
    .map((t) => t.name)
    .filter((name) => (db.pragma(`table_info("${name}")`) as { name: string }[]).some((c) => c.name === "profile"));
}

/** Moves a profile's cached state and history to its new name, so links survive a rename. */
export function renameProfileState(db: Database, from: string, to: string): void {
  atomically(db, () => {
    for (const table of profileTables(db)) {
      db.prepare(`DELETE FROM "${table}" WHERE profile = ?`).run(to);
      db.prepare(`UPDATE "${table}" SET profile = ? WHERE profile = ?`).run(to, from);
    }
  });
}

/** Forgets a deleted profile's cached state and history. */
export function deleteProfileState(db: Database, name: string): void {
  atomically(db, () => {
    for (const table of profileTables(db)) db.prepare(`DELETE FROM "${table}" WHERE profile = ?`).run(name);
  });
}
