// The profile store: profiles.sqlite beside the state database. Profiles are the admin's configuration, not cache, so
// they live apart from state.sqlite (which is moved aside and rebuilt when damaged). Every save bumps the profile's
// revision inside one IMMEDIATE transaction, so a save based on an older revision is refused even when the app and
// the CLI write at the same moment.
import type { Database } from "better-sqlite3";
import { atomically } from "./atomically";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Migration } from "./migrations";
import { openSqliteFile } from "./open";

export const PROFILES_FILE = "profiles.sqlite";
/** A copy of every profile beside the store, rewritten after each change: what a damaged store is restored from. */
export const PROFILES_BACKUP_FILE = "profiles.backup.json";

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

export interface ProfileStoreOptions {
  /** The store was damaged and moved to `asideFile`; `restored` names the profiles brought back from the copy. */
  onDamaged?: (asideFile: string, restored: string[]) => void;
  now?: () => Date;
}

interface Backup {
  active: string | null;
  profiles: StoredProfile[];
}

export function openProfileStore(file: string, options: ProfileStoreOptions = {}): ProfileStore {
  let aside: string | null = null;
  const db: Database = openSqliteFile(file, PROFILE_MIGRATIONS, {
    ...(options.now ? { now: options.now } : {}),
    onMovedAside: (to) => (aside = to),
  });
  const backupFile = join(dirname(file), PROFILES_BACKUP_FILE);
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

  /** Rewritten atomically (temp file, then rename) so a crash leaves the old copy or the new one, never half of one. */
  const writeBackup = () => {
    const backup: Backup = {
      active: getSetting("active"),
      profiles: db
        .prepare("SELECT name, json, revision, updated_at AS updatedAt FROM profiles ORDER BY name")
        .all() as StoredProfile[],
    };
    const temp = `${backupFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(backup), { mode: 0o600 });
    renameSync(temp, backupFile);
  };
  const restoreBackup = (): string[] => {
    if (!existsSync(backupFile)) return [];
    const backup = JSON.parse(readFileSync(backupFile, "utf8")) as Backup;
    const insert = db.prepare("INSERT OR IGNORE INTO profiles (name, json, revision, updated_at) VALUES (?, ?, ?, ?)");
    atomically(db, () => {
      for (const p of backup.profiles) insert.run(p.name, p.json, p.revision, p.updatedAt);
      if (backup.active) setSetting("active", backup.active);
    });
    return backup.profiles.map((p) => p.name);
  };
  /** Runs a change and refreshes the copy when it changed anything. */
  const changing =
    <A extends unknown[], R>(change: (...args: A) => R, changed: (result: R) => boolean) =>
    (...args: A): R => {
      const result = change(...args);
      if (changed(result)) writeBackup();
      return result;
    };

  if (aside !== null) {
    let restored: string[] = [];
    try {
      restored = restoreBackup();
    } catch {
      restored = []; // an unreadable copy: the admin is told nothing could be restored
    }
    options.onDamaged?.(aside, restored);
  }

  return {
    list: () =>
      db
        .prepare("SELECT name, revision, updated_at AS updatedAt FROM profiles ORDER BY name")
        .all() as ProfileSummary[],
    get: getRow,
    revision,
    put: changing(
      (name: string, json: string, base: BaseRevision) => put.immediate(name, json, base),
      (result) => result.status === "saved",
    ),
    rename: changing((from: string, to: string) => rename.immediate(from, to), Boolean),
    delete: changing(
      (name: string) =>
        atomically(db, () => {
          db.prepare("DELETE FROM settings WHERE key = 'active' AND value = ?").run(name);
          return db.prepare("DELETE FROM profiles WHERE name = ?").run(name).changes === 1;
        }),
      Boolean,
    ),
    active() {
      const name = getSetting("active");
      return name !== null && revision(name) !== null ? name : null;
    },
    setActive: changing(
      (name: string | null) => setSetting("active", name),
      () => true,
    ),
    stateNotice: () => getSetting("stateNotice"),
    setStateNotice: (text) => setSetting("stateNotice", text),
    addMissing: changing(
      (rows: { name: string; json: string; updated: string }[]) => addMissing.immediate(rows),
      (added) => added.length > 0,
    ),
    close: () => db.close(),
  };
}
