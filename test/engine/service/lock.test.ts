import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  acquireCycleLock,
  cycleLockHolder,
  CycleLockedError,
  HOLDER_FILE_NAME,
  LOCK_FILE_NAME,
  waitForCycleLock,
  withCycleLock,
} from "../../../electron/engine/lock";

const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((child) => child.kill("SIGKILL")));

const fixture = (name: string, ...args: string[]) => {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "fixtures", name), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return child;
};

async function holdLockInChild(dataDir: string): Promise<ChildProcess> {
  const child = fixture("hold-lock.ts", dataDir);
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  expect(chunk.toString()).toContain("locked");
  return child;
}

async function kill(child: ChildProcess) {
  child.kill("SIGKILL");
  await once(child, "exit");
}

const tempDir = () => mkdtempSync(join(tmpdir(), "pd-lock-"));

describe("cycle lock", () => {
  it("refuses a second holder in another process and names who holds it", async () => {
    const dir = tempDir();
    const child = await holdLockInChild(dir);
    let error: unknown;
    try {
      acquireCycleLock(dir, "cli");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CycleLockedError);
    const locked = error as CycleLockedError;
    expect(locked.holder?.pid).toBe(child.pid);
    expect(locked.message).toContain(`process ${child.pid} on ${hostname()}`);
    expect(locked.message).toContain("test holder");
    expect(locked.message).toContain("sync --wait");
  });

  it("is free the moment its holder dies, even by SIGKILL; a holder file it left behind does not block", async () => {
    const dir = tempDir();
    const child = await holdLockInChild(dir);
    expect(cycleLockHolder(dir)).toEqual({ holder: expect.objectContaining({ pid: child.pid, owner: "test holder" }) });
    await kill(child);
    expect(cycleLockHolder(dir)).toBeNull();
    const lock = acquireCycleLock(dir, "cli");
    expect(lock.holder.pid).toBe(process.pid);
    expect(cycleLockHolder(dir)).toEqual({ holder: expect.objectContaining({ pid: process.pid }) });
    lock.release();
    expect(cycleLockHolder(dir)).toBeNull();

    // A holder file naming a process that is gone (or a pid reused by another program) means nothing by itself.
    writeFileSync(
      join(dir, HOLDER_FILE_NAME),
      JSON.stringify({ pid: 1, host: hostname(), owner: "app", startedAt: "2026-01-01T00:00:00Z" }),
    );
    acquireCycleLock(dir, "cli").release();
  });

  it("is taken by exactly one of six processes racing for it right after its holder was killed", async () => {
    const dir = tempDir();
    await kill(await holdLockInChild(dir));
    // Process start-up is slow on a busy machine: agree on an instant well after every racer is up.
    const startAt = String(Date.now() + 3000);
    const racers = Array.from({ length: 6 }, () => fixture("race-lock.ts", dir, startAt));
    const answers = await Promise.all(
      racers.map(async (racer) => String(((await once(racer.stdout!, "data")) as [Buffer])[0]).trim()),
    );
    expect(answers.sort()).toEqual(["locked", "locked", "locked", "locked", "locked", "won"]);
  });

  it("can be waited for: the waiter gets it once the other process is done", async () => {
    const dir = tempDir();
    const child = await holdLockInChild(dir);
    const told: CycleLockedError[] = [];
    await expect(waitForCycleLock(dir, "cli")).rejects.toBeInstanceOf(CycleLockedError);
    const waiting = waitForCycleLock(dir, "cli", { waitMs: 20_000, onWait: (error) => told.push(error) });
    setTimeout(() => child.kill("SIGKILL"), 1500);
    const lock = await waiting;
    expect(told).toHaveLength(1);
    expect(told[0]!.holder?.pid).toBe(child.pid);
    lock.release();
    // A wait that runs out fails with who holds the lock.
    const again = await holdLockInChild(dir);
    await expect(waitForCycleLock(dir, "cli", { waitMs: 1200 })).rejects.toMatchObject({
      holder: expect.objectContaining({ pid: again.pid }),
    });
  });

  it("ignores the lock file of an older version; a damaged lock file is reported with what to do", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "cycle.lock"), JSON.stringify({ pid: 1, host: hostname(), owner: "app", startedAt: "?" }));
    acquireCycleLock(dir, "cli").release();
    writeFileSync(join(dir, LOCK_FILE_NAME), "not a database file, just bytes ".repeat(8));
    expect(cycleLockHolder(dir)).toBeNull();
    expect(() => acquireCycleLock(dir, "cli")).toThrow(
      /is damaged.*no ProvisionDesk cycle is running, delete the file/,
    );
  });

  it("is released after the work, also when the work fails, and within a process a second cycle is refused", async () => {
    const dir = tempDir();
    await expect(
      withCycleLock(dir, "app", async () => {
        expect(() => acquireCycleLock(dir, "scheduler")).toThrow(CycleLockedError);
        throw new Error("cycle failed");
      }),
    ).rejects.toThrow("cycle failed");
    expect(cycleLockHolder(dir)).toBeNull();
    acquireCycleLock(dir, "app").release();
  });
});
