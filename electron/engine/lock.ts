import Database from "better-sqlite3";
import type { Database as Db } from "better-sqlite3";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Who runs a cycle: shown to whoever finds the lock taken. */
export interface LockHolder {
  pid: number;
  host: string;
  owner: string;
  startedAt: string;
}

/** Keep it reachable until `release()`: a garbage-collected lock closes its SQLite connection, which frees the lock. */
export interface CycleLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Gives the lock up; safe to call twice. */
  release(): void;
}

/** The file whose exclusive SQLite lock is the cycle lock (a `cycle.lock` left by an older version is ignored). */
export const LOCK_FILE_NAME = "cycle-lock.sqlite";
/** Who holds it, written by the holder once it has the lock (the lock file itself cannot be read while held). */
export const HOLDER_FILE_NAME = "cycle-lock.holder.json";

export class CycleLockedError extends Error {
  override readonly name = "CycleLockedError";
  constructor(
    readonly holder: LockHolder | null,
    readonly file: string,
  ) {
    const who = holder
      ? `${holder.owner} (process ${holder.pid} on ${holder.host}, started ${holder.startedAt})`
      : "another process";
    super(
      `Another sync cycle is running for this data folder: ${who}. Cycles must not overlap, so this one did not start. ` +
        `Wait for it to finish and try again (a scheduled task can pass "sync --wait" to wait instead).`,
    );
  }
}

function readHolder(dataDir: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, HOLDER_FILE_NAME), "utf8")) as Partial<LockHolder>;
    return typeof parsed.pid === "number" && typeof parsed.host === "string"
      ? {
          pid: parsed.pid,
          host: parsed.host,
          owner: String(parsed.owner ?? "unknown"),
          startedAt: String(parsed.startedAt ?? "?"),
        }
      : null;
  } catch {
    return null;
  }
}

const isBusy = (error: unknown) => (error as { code?: string }).code?.startsWith("SQLITE_BUSY") ?? false;

/** The lock file holds no data, so a damaged one only needs deleting, but only while no cycle runs. */
function damaged(file: string, error: unknown): Error {
  return (error as { code?: string }).code === "SQLITE_NOTADB"
    ? new Error(
        `The cycle lock file ${file} is damaged (it is not a SQLite file). Make sure no ProvisionDesk cycle is running, delete the file, and try again.`,
      )
    : (error as Error);
}

/** Opens the lock file (created private); `timeoutMs` is how long SQLite waits on a lock held for an instant. */
function openLockFile(dataDir: string, timeoutMs: number): { file: string; db: Db } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, LOCK_FILE_NAME);
  closeSync(openSync(file, "a", 0o600));
  const db = new Database(file, { timeout: timeoutMs });
  // An empty (0-byte) database file needs no lock to be read, so a reader that found the holder's journal took it for
  // a crashed writer's, rolled it back and broke the lock: the file is given a schema once, before it is ever locked.
  if (statSync(file).size === 0) {
    try {
      db.exec("CREATE TABLE IF NOT EXISTS cycle_lock (held INTEGER)");
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }
  return { file, db };
}

/**
 * Takes the cycle lock of a data folder, across processes (app, CLI, scheduled tasks).
 * The lock is SQLite's exclusive lock on `cycle-lock.sqlite` (an OS file lock), held for the whole cycle: taking it is one
 * atomic step, two processes can never both hold it, and the operating system releases it when its process ends,
 * even by SIGKILL or a crash, so there is no stale lock to detect or take over.
 */
export function acquireCycleLock(dataDir: string, owner: string): CycleLock {
  // A status check holds a read lock for an instant: wait that out instead of reporting a cycle that is not there.
  const { file, db } = openLockFile(dataDir, 100);
  try {
    db.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new CycleLockedError(readHolder(dataDir), file);
    throw damaged(file, error);
  }
  const holder: LockHolder = { pid: process.pid, host: hostname(), owner, startedAt: new Date().toISOString() };
  const holderFile = join(dataDir, HOLDER_FILE_NAME);
  const temp = `${holderFile}.${process.pid}`;
  writeFileSync(temp, JSON.stringify(holder), { mode: 0o600 });
  renameSync(temp, holderFile);
  let released = false;
  return {
    file,
    holder,
    release() {
      if (released) return;
      released = true;
      const current = readHolder(dataDir);
      if (current?.pid === holder.pid && current.startedAt === holder.startedAt) rmSync(holderFile, { force: true });
      db.exec("ROLLBACK");
      db.close();
    },
  };
}

/** Who holds the cycle lock right now, from any process; null when no cycle runs. */
export function cycleLockHolder(dataDir: string): { holder: LockHolder | null } | null {
  const { db } = openLockFile(dataDir, 0);
  try {
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    return null;
  } catch (error) {
    if (isBusy(error)) return { holder: readHolder(dataDir) };
    // No process can hold the lock of a damaged file; taking the lock reports it.
    if ((error as { code?: string }).code === "SQLITE_NOTADB") return null;
    throw error;
  } finally {
    db.close();
  }
}

export interface CycleLockWait {
  /** How long to wait for a cycle running elsewhere; 0 or absent: fail at once. */
  waitMs?: number;
  /** Told once, when the lock is found taken and the wait begins. */
  onWait?: (error: CycleLockedError) => void;
}

/**
 * Takes the cycle lock, waiting up to `waitMs` for a cycle running elsewhere to finish (told once through `onWait`).
 * Without `waitMs`, a lock that is taken fails at once.
 */
export async function waitForCycleLock(dataDir: string, owner: string, wait: CycleLockWait = {}): Promise<CycleLock> {
  const deadline = Date.now() + (wait.waitMs ?? 0);
  for (let told = false; ; told = true) {
    try {
      return acquireCycleLock(dataDir, owner);
    } catch (error) {
      if (!(error instanceof CycleLockedError) || Date.now() >= deadline) throw error;
      if (!told) wait.onWait?.(error);
      await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
    }
  }
}

/** Runs `work` under the cycle lock and always releases it. */
export async function withCycleLock<T>(
  dataDir: string,
  owner: string,
  work: () => Promise<T>,
  wait?: CycleLockWait,
): Promise<T> {
  const lock = await waitForCycleLock(dataDir, owner, wait);
  try {
    return await work();
  } finally {
    lock.release();
  }
}
