import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireCycleLock, CycleLockedError, LOCK_FILE_NAME, withCycleLock } from "../../../electron/engine/lock";

const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((child) => child.kill("SIGKILL")));

async function holdLockInChild(dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "fixtures/hold-lock.ts"), dataDir],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  children.push(child);
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  expect(chunk.toString()).toContain("locked");
  return child;
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
    expect(locked.message).toContain(join(dir, LOCK_FILE_NAME));
  });

  it("takes over a stale lock left by a process that died without releasing it", async () => {
    const dir = tempDir();
    const child = await holdLockInChild(dir);
    child.kill("SIGKILL");
    await once(child, "exit");
    const lock = acquireCycleLock(dir, "cli");
    expect(lock.holder.pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
  });

  it("never takes over a lock held from another host", () => {
    const dir = tempDir();
    const file = join(dir, LOCK_FILE_NAME);
    writeFileSync(
      file,
      JSON.stringify({ pid: 999999, host: "other-host", owner: "app", startedAt: "2026-01-01T00:00:00Z" }),
    );
    expect(() => acquireCycleLock(dir, "cli")).toThrow(/other-host/);
    expect(existsSync(file)).toBe(true);
  });

  it("is released after the work, also when the work fails, and within a process a second cycle is refused", async () => {
    const dir = tempDir();
    await expect(
      withCycleLock(dir, "app", async () => {
        expect(() => acquireCycleLock(dir, "scheduler")).toThrow(CycleLockedError);
        throw new Error("cycle failed");
      }),
    ).rejects.toThrow("cycle failed");
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
    acquireCycleLock(dir, "app").release();
  });
});
