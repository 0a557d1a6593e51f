// The fault matrix's shared pieces: a small world (Graph and SCIM emulators, a real engine) that counts retries, the
// checks every case ends with (exact target, no duplicate, every link pointing at a live object), and the row each
// case adds to the table `npm run test:faults` prints (table-reporter.ts).
import { expect, it } from "vitest";
import type { CycleResult } from "../../electron/engine/cycle";
import { listLogEntries, loadLinks } from "../../electron/engine/db";
import type { RetryEvent } from "../../electron/engine/http";
import type { LogEntry } from "../../shared/ipc/model";
import { actualTarget, expectedTarget, startWorld, type World, type WorldOptions } from "../engine/cycle/harness";

export interface FaultRow {
  side: "target" | "Graph";
  case: string;
  outcome: string;
  retries: number;
  dataLost: string;
}

declare module "vitest" {
  interface TaskMeta {
    fault?: FaultRow;
  }
}

type LoggedCycle = CycleResult & { log: LogEntry[] };

export interface FaultWorld extends World {
  retries: RetryEvent[];
  /** The last cycle run, with its log. */
  last?: LoggedCycle;
  /** Runs a cycle and returns it with its log entries. */
  cycle(options?: Parameters<World["run"]>[0]): Promise<LoggedCycle>;
  /** Adds users to Entra and assigns them to the app: the next cycle creates them. */
  addUsers(...names: string[]): { id: string; userPrincipalName: string }[];
  /** Changes the surname of the first `count` provisioned users: the next cycle updates them. */
  editUsers(count: number): string[];
}

/** A few users per case keep the whole matrix to seconds. */
const USERS = 16;

export async function faultWorld(options: WorldOptions = {}): Promise<FaultWorld> {
  const retries: RetryEvent[] = [];
  const w = await startWorld({ users: USERS, seed: 31, onRetry: (_side, e) => retries.push(e), ...options });
  const admin = w.graphEmu.admin;
  const fw: FaultWorld = Object.assign(w, {
    retries,
    async cycle(options: Parameters<World["run"]>[0] = {}) {
      const result = await w.run(options);
      fw.last = { ...result, log: listLogEntries(w.db, w.profile.name, { cycleId: result.summary.id, limit: 1000 }) };
      return fw.last;
    },
    addUsers(...names: string[]) {
      return names.map((displayName) => {
        const mailNickname = displayName.toLowerCase().replace(/\s+/g, ".");
        const u = admin.addUser({ displayName, mailNickname, givenName: displayName.split(" ")[0]! });
        admin.assign(u.id);
        return u;
      });
    },
    editUsers(count: number) {
      const names = new Set(w.scimSrv.listUsers().map((u) => u.userName));
      const users = admin.listUsers().filter((u) => names.has(u.userPrincipalName));
      return users.slice(0, count).map((u, i) => {
        admin.updateUser(u.id, { surname: `Changed${i}`, displayName: `${u.givenName ?? "User"} Changed${i}` });
        return u.userPrincipalName;
      });
    },
  });
  return fw;
}

/**
 * What every case ends with: a last cycle that succeeded with nothing failed in its log, the target holding exactly
 * what Entra says (nothing lost, nothing extra, no value left stale), each object once, and every link in the state
 * database pointing at an object the target has.
 */
export function expectNoDataLost(w: FaultWorld): string {
  expect(w.last?.summary).toMatchObject({ outcome: "succeeded", error: null });
  expect(failures(w.last!.log)).toEqual([]);
  const actual = actualTarget(w.scimSrv);
  const expected = expectedTarget(w.graphEmu);
  expect(actual).toEqual(expected);
  const users = w.scimSrv.listUsers();
  expect(new Set(users.map((u) => u.userName.toLowerCase())).size).toBe(users.length);
  const targetIds = new Set([...users.map((u) => u.id), ...w.scimSrv.listGroups().map((g) => g.id)]);
  for (const type of ["user", "group"] as const) {
    for (const link of loadLinks(w.db, w.profile.name, type).values()) expect(targetIds).toContain(link.targetId);
  }
  return "none";
}

/** The first cycle of a case's world, which must succeed before the fault is switched on. */
export async function provisioned(w: FaultWorld): Promise<void> {
  const first = await w.cycle();
  expect(first.summary.outcome).toBe("succeeded");
  w.retries.length = 0;
}

export const failures = (log: LogEntry[]) => log.filter((e) => e.status === "Failure");

/**
 * One row of the matrix: starts a world, runs the case (which returns its outcome in words), checks nothing was lost,
 * and records the row for the table.
 */
export function faultCase(
  side: FaultRow["side"],
  name: string,
  body: (w: FaultWorld) => Promise<string>,
  options: WorldOptions = {},
): void {
  it(`${side}: ${name}`, async ({ task }) => {
    const w = await faultWorld(options);
    try {
      const outcome = await body(w);
      const dataLost = expectNoDataLost(w);
      task.meta.fault = { side, case: name, outcome, retries: w.retries.length, dataLost };
    } finally {
      await w.close();
    }
  });
}
