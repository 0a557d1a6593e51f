import { linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/** Who runs a cycle: shown to whoever finds the lock taken. */
export interface LockHolder {
  pid: number;
  host: string;
  owner: string;
  startedAt: string;
}

export interface CycleLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

export const LOCK_FILE_NAME = "cycle.lock";

export class CycleLockedError extends Error {
  override readonly name = "CycleLockedError";
  constructor(
    readonly holder: LockHolder | null,
    readonly file: string,
  ) {
    const who = holder
      ? `${holder.owner} (process ${holder.pid} on ${holder.host}, started ${holder.startedAt})`
      : "another process (its lock file cannot be read)";
    super(
      `Another sync cycle is running for this data folder: ${who}. Cycles must not overlap, so this one did not start. ` +
        `Wait for it to finish and try again. If you are sure no such process is running, delete ${file}.`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readText(file) ?? "") as Partial<LockHolder>;
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

/**
 * Takes the cycle lock of a data folder, across processes (app, CLI, scheduler).
 * The holder is written to a private temporary file (O_EXCL) which is then hard-linked to the lock name: link() fails
 * atomically when the lock exists, so no other process ever sees a half-written lock. A lock whose process is gone
 * (same host, dead pid) is stale and is taken over; a lock held from another host is never taken over automatically.
 */
export function acquireCycleLock(dataDir: string, owner: string): CycleLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE_NAME);
  const holder: LockHolder = { pid: process.pid, host: hostname(), owner, startedAt: new Date().toISOString() };
  const content = JSON.stringify(holder);
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(temp, content, { flag: "wx", mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const current = readHolder(file);
        const stale = current !== null && current.host === holder.host && !isAlive(current.pid);
        if (!stale || attempt > 0) throw new CycleLockedError(current, file);
        rmSync(file, { force: true });
      }
    }
  } finally {
    unlinkSync(temp);
  }
  let released = false;
  return {
    file,
    holder,
    release() {
      if (released) return;
      released = true;
      // Only remove the file if it is still ours (someone may have deleted a lock they thought stale).
      if (readText(file) === content) rmSync(file, { force: true });
    },
  };
}

/** Runs `work` under the cycle lock and always releases it. */
export async function withCycleLock<T>(dataDir: string, owner: string, work: () => Promise<T>): Promise<T> {
  const lock = acquireCycleLock(dataDir, owner);
  try {
    return await work();
  } finally {
    lock.release();
  }
}
