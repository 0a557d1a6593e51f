import Database from "better-sqlite3";
import type { Database as Db } from "better-sqlite3";
import { existsSync, renameSync } from "node:fs";
import { migrate } from "./migrate";
import { MIGRATIONS, type Migration } from "./migrations";
import { readLegacyProfiles, type LegacyProfileRow } from "./profiles";
import { ensurePrivateFile } from "./private-file";
import { cacheStatements } from "./statement-cache";

export type { Db };

export interface OpenOptions {
  /** Told when a damaged file was moved aside; the next cycle is a full one that re-links by matching. */
  onMovedAside?: (damagedFile: string) => void;
  /**
   * Profiles stored in the state database by earlier versions, handed over before migration 002 removes them from
   * this cache. Must not return before they are kept safely elsewhere (it throws otherwise, and nothing is removed).
   */
  takeLegacyProfiles?: (rows: LegacyProfileRow[]) => void;
  now?: () => Date;
}

function openRaw(file: string): Db {
  // SQLite gives the -wal and -shm files the database file's permissions: created 0600, they are too.
  if (file !== ":memory:") ensurePrivateFile(file);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  cacheStatements(db);
  return db;
}

const DAMAGE_CODES = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB"]);

/** Opens the file and runs SQLite's quick check; undefined when the file is damaged. */
function openChecked(file: string): Db | undefined {
  let db: Db | undefined;
  try {
    db = openRaw(file);
    const rows = db.pragma("quick_check") as { quick_check: string }[];
    if (rows.length === 1 && rows[0]?.quick_check === "ok") return db;
  } catch (error) {
    if (!DAMAGE_CODES.has((error as { code?: string }).code ?? "")) {
      db?.close();
      throw error;
    }
  }
  db?.close();
  return undefined;
}

/**
 * Opens (creating if needed, 0600) and migrates an SQLite file. A file that fails the integrity check is moved aside
 * (`<file>.damaged-<time>`, with its -wal and -shm) and a fresh one starts; `onMovedAside` says where it went.
 * Throws DatabaseTooNewError for a database written by a newer version (never moved aside: it is not damaged).
 */
export function openSqliteFile(
  file: string,
  migrations: readonly Migration[],
  options: Omit<OpenOptions, "takeLegacyProfiles"> & { beforeMigrate?: (db: Db) => void } = {},
): Db {
  let db = file === ":memory:" ? openRaw(file) : openChecked(file);
  if (!db) {
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, "-");
    const aside = `${file}.damaged-${stamp}`;
    renameSync(file, aside);
    for (const suffix of ["-wal", "-shm"]) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
    options.onMovedAside?.(aside);
    db = openRaw(file);
  }
  try {
    options.beforeMigrate?.(db);
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Opens the state database: a rebuildable cache of the mirror, links and history (profiles live apart, in the profile
 * store). When damaged it is moved aside and the next cycle is a full one that re-links by matching.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const { takeLegacyProfiles, ...rest } = options;
  const db = openSqliteFile(file, MIGRATIONS, {
    ...rest,
    beforeMigrate: (db) => {
      const rows = readLegacyProfiles(db);
      if (rows.length === 0) return;
      if (!takeLegacyProfiles)
        throw new Error(
          `${file} holds profiles from an earlier version; open it with takeLegacyProfiles to keep them.`,
        );
      takeLegacyProfiles(rows);
    },
  });
  // Cycles checkpoint when they end (checkpoint below). SQLite's own checkpoint, every 1,000 pages by default, would
  // also run inside whichever commit crosses that mark: at 10,000 users, the final commit of a cycle after edits, 15 of
  // its 25 ms. It now runs only for a cycle that writes more than 40 MB; the WAL file is cut back to 32 MB after.
  db.pragma("wal_autocheckpoint = 10000");
  db.pragma(`journal_size_limit = ${32 * 2 ** 20}`);
  return db;
}

/**
 * Copies the WAL into the database file, so that the next cycle writes to an empty WAL. Left to SQLite's automatic
 * checkpoint, a small cycle's commit pays for the cycles before it: about 10 ms with two fsyncs, a third of a
 * 100-change cycle's own database time. Passive: it never waits for a reader.
 */
export function checkpoint(db: Db): void {
  if (db.open) db.pragma("wal_checkpoint(PASSIVE)");
}
