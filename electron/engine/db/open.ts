import Database from "better-sqlite3";
import type { Database as Db } from "better-sqlite3";
import { existsSync, renameSync } from "node:fs";
import { migrate } from "./migrate";

export type { Db };

export interface OpenOptions {
  /** Told when a damaged file was moved aside; the next cycle is a full one that re-links by matching. */
  onMovedAside?: (damagedFile: string) => void;
  now?: () => Date;
}

function openRaw(file: string): Db {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
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
 * Opens (creating if needed) and migrates the state database. It is a rebuildable cache of links and history:
 * when it fails the integrity check it is moved aside (`<file>.damaged-<time>`) and a fresh one starts.
 * Throws DatabaseTooNewError for a database written by a newer version (never moved aside: it is not damaged).
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
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
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
