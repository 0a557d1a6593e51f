import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPlan, listLogEntries, loadEscrow } from "../../../electron/engine/db";
import type { CycleResult } from "../../../electron/engine/cycle";
import { expectedScope, startWorld, targetWrites, type World } from "./harness";

/**
 * A dry run's would-be changes are its stored plan (Preview, `sync --dry-run`), not rows in the live log: the log gets
 * one entry saying that a preview ran and what it planned, plus the failures the preview really met.
 */
describe("a dry run's log", () => {
  let w: World;
  beforeAll(async () => {
    // Concurrency 1: lookups run one after the other, so a fault hits exactly one object's lookup.
    w = await startWorld({ users: 60, seed: 21, profile: { target: { concurrency: 1 } } });
  });
  afterAll(() => w.close());

  const logOf = (result: CycleResult) =>
    listLogEntries(w.db, w.profile.name, { cycleId: result.summary.id, limit: 10_000 });
  const planOf = (result: CycleResult) => getPlan(w.db, w.profile.name, result.planId!)!;

  it("a first preview: one entry with its counts, no write to the target, every change in the stored plan", async () => {
    const dry = await w.run({ dryRun: true });
    expect(dry.summary.outcome).toBe("succeeded");
    expect(targetWrites(w.scimSrv)).toEqual([]);
    const { users, groups, memberships } = dry.summary.counts;
    const creates = users.create + groups.create;
    const members = memberships.added + memberships.removed;
    expect(creates).toBe(expectedScope(w.graphEmu).userIds.size + expectedScope(w.graphEmu).groupIds.size);
    expect(members).toBeGreaterThan(0);

    const entries = logOf(dry);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ objectType: "cycle", action: "Other", status: "Skipped" });
    expect(entries[0]!.message).toBe(
      `Preview: ${creates} creates and ${members} membership changes planned; nothing was sent to the target. ` +
        "Review them in Preview.",
    );

    const items = planOf(dry).items;
    expect(items).toHaveLength(creates + members);
    expect(items.filter((i) => i.kind === "create")).toHaveLength(creates);
    expect(items.filter((i) => i.kind === "memberAdd")).toHaveLength(memberships.added);
  });

  it("a preview with nothing to do still says that it ran", async () => {
    expect((await w.run()).summary.outcome).toBe("succeeded");
    const mark = w.scimSrv.requests.length;
    const dry = await w.run({ dryRun: true });
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    expect(logOf(dry).map((e) => e.message)).toEqual(["Preview: nothing to change; nothing was sent to the target."]);
    expect(planOf(dry).items).toEqual([]);
  });

  it("updates, deletes and membership changes are counted, and a failure the preview met keeps its entry", async () => {
    const admin = w.graphEmu.admin;
    const { userIds, groupIds } = expectedScope(w.graphEmu);
    const groupsOf = (user: string) => [...groupIds].filter((g) => admin.getGroup(g)!.members.includes(user)).length;
    const enabled = [...userIds].filter((id) => admin.getUser(id)!.accountEnabled);
    // A member of provisioned groups: purging them removes them from each of those groups too.
    const purged = enabled.find((id) => groupsOf(id) > 0)!;
    const purgedGroups = groupsOf(purged);
    admin.updateUser(
      enabled.find((id) => id !== purged)!,
      { displayName: "Preview Me" },
    );
    admin.purgeUser(purged);
    for (const name of ["Ada Preview", "Bo Preview", "Cy Preview"])
      admin.assign(admin.addUser({ displayName: name, mailNickname: name.toLowerCase().replace(" ", ".") }).id);
    // The first new user's lookup fails: the preview cannot plan that user.
    w.scimSrv.setFaults({ errorNext: 1, errorStatus: 500 });
    const mark = w.scimSrv.requests.length;

    const dry = await w.run({ dryRun: true });
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    expect(dry.summary.counts.users).toMatchObject({ create: 2, update: 1, delete: 1, failed: 1 });
    expect(dry.summary.counts.memberships).toEqual({ added: 0, removed: purgedGroups });

    const entries = logOf(dry);
    expect(entries).toHaveLength(2);
    const summary = entries.find((e) => e.objectType === "cycle")!;
    expect(summary.message).toBe(
      `Preview: 2 creates, 1 update, 1 delete and ${purgedGroups} membership change${purgedGroups === 1 ? "" : "s"} ` +
        "planned; nothing was sent to the target. Review them in Preview.",
    );
    const failure = entries.find((e) => e.objectType === "user")!;
    expect(failure).toMatchObject({ status: "Failure", errorCode: "ServerError" });
    expect(failure.recommendation).toMatch(/retried in a later cycle/);
    // A preview escrows nothing: the next real cycle simply tries that user again.
    expect(loadEscrow(w.db, w.profile.name).size).toBe(0);
    expect(planOf(dry).items).toHaveLength(4 + purgedGroups);
    expect(planOf(dry).failures.map((f) => f.sourceId)).toEqual([failure.sourceId]);
  });
});
