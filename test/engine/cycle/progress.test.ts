// Progress carries real counts: users and groups read, objects evaluated of the total, changes applied of the total.
import { afterEach, describe, expect, it } from "vitest";
import { runCycle } from "../../../electron/engine/cycle";
import type { Progress } from "../../../shared/ipc/model";
import { startWorld, type World } from "./harness";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function runWithProgress(world: World) {
  const seen: Progress[] = [];
  const { summary } = await runCycle(
    { ...world, onProgress: (p) => seen.push(p) },
    { dryRun: false, full: false, allowDeletes: false },
  );
  const last = (phase: Progress["phase"]) => seen.filter((p) => p.phase === phase).at(-1)!;
  return { summary, seen, last };
}

describe("cycle progress", () => {
  it("counts what was read, evaluated and applied, in both first and incremental cycles", async () => {
    w = await startWorld({ users: 80, seed: 31 });
    const directory = { users: w.graphEmu.admin.listUsers().length, groups: w.graphEmu.admin.listGroups().length };
    const first = await runWithProgress(w);
    expect(first.summary.outcome).toBe("succeeded");

    expect(first.last("read").counts).toMatchObject({ usersRead: directory.users, groupsRead: directory.groups });
    expect(first.last("read")).toMatchObject({ done: directory.users + directory.groups });
    const evaluated = first.seen.filter((p) => p.phase === "evaluate").map((p) => p.counts.evaluated);
    expect(evaluated).toEqual([...evaluated].sort((a, b) => a - b));
    // A first cycle plans most users while the ones before are applied: by the end every object was evaluated.
    expect(first.last("commit").counts).toMatchObject({
      evaluated: directory.users + directory.groups,
      toEvaluate: directory.users + directory.groups,
    });
    const { users, groups, memberships } = first.summary.counts;
    const applied = first.last("apply").counts;
    expect(applied.applied).toBe(applied.toApply);
    // Every create, and one membership update per group that got members.
    expect(applied.applied).toBeGreaterThanOrEqual(users.create + groups.create);
    expect(memberships.added).toBeGreaterThan(0);
    expect(first.last("commit").counts).toEqual(applied);
    // Each update counts one more applied change, from 0 of the total up.
    const steps = first.seen.filter((p) => p.phase === "apply").map((p) => p.counts.applied);
    expect(steps).toEqual(Array.from({ length: applied.toApply + 1 }, (_, i) => i));

    // Incremental: only what changed in Entra is read, and only its changes are applied.
    const changed = w.graphEmu.admin.listUsers().slice(0, 3);
    for (const u of changed) w.graphEmu.admin.updateUser(u.id, { jobTitle: "Renamed" });
    for (const u of changed) w.graphEmu.admin.updateUser(u.id, { displayName: `${u.displayName} II` });
    const next = await runWithProgress(w);
    expect(next.summary.kind).toBe("incremental");
    expect(next.last("read").counts).toMatchObject({ usersRead: 3, groupsRead: 0 });
    const inScopeChanged = next.summary.counts.users.update;
    expect(next.last("apply").counts).toMatchObject({ applied: inScopeChanged, toApply: inScopeChanged });
  });
});
