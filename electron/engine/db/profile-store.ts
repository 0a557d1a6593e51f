// The profile store: profiles.sqlite beside the state database. Profiles are the admin's configuration, not cache, so
// they live apart from state.sqlite (which is moved aside and rebuilt when damaged). Every save bumps the profile's
// revision inside one IMMEDIATE transaction, so a save based on an older revision is refused even when the app and
// the CLI write at the same moment.
import type { Database } from "better-sqlite3";
import type { Migration } from "./migrations";
import { openSqliteFile, type OpenOptions } from "./open";

export const PROFILES_FILE = "profiles.sqlite";

const PROFILE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "profiles with revisions, and the active profile",
    up(db) {
      db.exec(`
        CREATE TABLE profiles (
          name TEXT PRIMARY KEY,
          json TEXT NOT NULL,
          revision INTEGER NOT NULL CHECK (revision >= 1),
          updated_at TEXT NOT NULL
        );
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `);
    },
  },
];

export interface StoredProfile {
  name: string;
  /** The profile as validated JSON text. */
  json: string;
  revision: number;
  updatedAt: string;
}
export type ProfileSummary = Omit<StoredProfile, "json">;

/** "any" overwrites whatever is stored; null creates (refused if the name exists); a number must match the stored one. */
export type BaseRevision = number | null | "any";
export type PutResult = { status: "saved"; revision: number } | { status: "conflict"; current: StoredProfile | null };

export interface ProfileStore {
  list(): ProfileSummary[];
  get(name: string): StoredProfile | null;
  /** The stored revision of `name` (cheap: for noticing saves made by another process). */
  revision(name: string): number | null;
  put(name: string, json: string, base: BaseRevision): PutResult;
  /** False when `from` is missing or `to` is taken. */
  rename(from: string, to: string): boolean;
  delete(name: string): boolean;
  /** The profile used when none is named; null when unset or no longer stored. */
  active(): string | null;
  setActive(name: string | null): void;
  /**
   * What the admin must be told about the state database (it was damaged and set aside), kept here because the state
   * database itself is the thing that was lost; cleared once a cycle has rebuilt it.
   */
  stateNotice(): string | null;
  setStateNotice(text: string | null): void;
  /** Adds profiles whose names are not stored yet (migration from older versions); returns the names added. */
  addMissing(rows: { name: string; json: string; updated: string }[]): string[];
  close(): void;
}

export function openProfileStore(file: string, options: Omit<OpenOptions, "takeLegacyProfiles"> = {}): ProfileStore {
  const db: Database = openSqliteFile(file, PROFILE_MIGRATIONS, options);
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const getRow = (name: string) =>
    (db.prepare("SELECT name, json, revision, updated_at AS updatedAt FROM profiles WHERE name = ?").get(name) as
      StoredProfile | undefined) ?? null;
  const revision = (name: string) =>
    (db.prepare("SELECT revision FROM profiles WHERE name = ?").get(name) as { revision: number } | undefined)
      ?.revision ?? null;

  const put = db.transaction((name: string, json: string, base: BaseRevision): PutResult => {
    const current = getRow(name);
    if (base !== "any" && (current?.revision ?? null) !== base) return { status: "conflict", current };
    const next = (current?.revision ?? 0) + 1;
    db.prepare(
      `INSERT INTO profiles (name, json, revision, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET json = excluded.json, revision = excluded.revision, updated_at = excluded.updated_at`,
    ).run(name, json, next, now());
    return { status: "saved", revision: next };
  });

  const rename = db.transaction((from: string, to: string): boolean => {
    if (revision(to) !== null) return false;
    const moved =
      db
        .prepare(
          `UPDATE profiles SET name = ?, json = json_set(json, '$.name', ?), revision = revision + 1, updated_at = ?
           WHERE name = ?`,
        )
        .run(to, to, now(), from).changes === 1;
    if (moved) db.prepare("UPDATE settings SET value = ? WHERE key = 'active' AND value = ?").run(to, from);
    return moved;
  });

  const addMissing = db.transaction((rows: { name: string; json: string; updated: string }[]) =>
    rows
      .filter(
        (row) =>
          db
            .prepare("INSERT OR IGNORE INTO profiles (name, json, revision, updated_at) VALUES (?, ?, 1, ?)")
            .run(row.name, row.json, row.updated).changes === 1,
      )
      .map((row) => row.name),
  );

  const getSetting = (key: string) =>
    (db.prepare("SELECT value FROM settings WHERE key = ?").get(key) as { value: string } | undefined)?.value ?? null;
  const setSetting = (key: string, value: string | null) => {
    if (value === null) db.prepare("DELETE FROM settings WHERE key = ?").run(key);
    else
      db.prepare(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ).run(key, value);
  };

  return {
    list: () =>
      db
        .prepare("SELECT name, revision, updated_at AS updatedAt FROM profiles ORDER BY name")
        .all() as ProfileSummary[],
    get: getRow,
    revision,
    put: (name, json, base) => put.immediate(name, json, base),
    rename: (from, to) => rename.immediate(from, to),
    delete: (name) =>
      db.transaction(() => {
        db.prepare("DELETE FROM settings WHERE key = 'active' AND value = ?").run(name);
        return db.prepare("DELETE FROM profiles WHERE name = ?").run(name).changes === 1;
      })(),
    active() {
      const name = getSetting("active");
      return name !== null && revision(name) !== null ? name : null;
    },
    setActive: (name) => setSetting("active", name),
    stateNotice: () => getSetting("stateNotice"),
    setStateNotice: (text) => setSetting("stateNotice", text),
    addMissing: (rows) => addMissing.immediate(rows),
    close: () => db.close(),
  };
}
