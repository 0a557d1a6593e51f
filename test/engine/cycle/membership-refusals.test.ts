import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listLogEntries, loadMembershipEscrow } from "../../../electron/engine/db";
import { runCycle } from "../../../electron/engine/cycle";
import { expectedScope, startWorld, targetWrites, type World } from "./harness";

/**
 * One member the target refuses (its user was deleted in the target behind our back) among others added to a group
 * in the same batch: the others get in, the refused one is logged with the target's words, escrowed, and not sent
 * again before its back-off, even though nothing else changes.
 */
describe("a refused member in a membership batch", () => {
  let w: World;
  let groupId: string;
  let groupTargetId: string;
  let victim: { id: string; upn: string; targetId: string };
  let others: string[];
  const memberIds = () =>
    new Set(
      w.scimSrv
        .listGroups()
        .find((g) => g.id === groupTargetId)!
        .members.map((m) => m.value),
    );
  const userTargetId = (upn: string) => w.scimSrv.listUsers().find((u) => u.userName === upn)!.id;

  beforeAll(async () => {
    // Batches of 4: the 9 new members go out as 3 PATCHes, one of them carrying the refused member.
    w = await startWorld({ users: 60, seed: 21, scim: { bulkMaxOperations: 4 } });
    expect((await w.run()).summary.outcome).toBe("succeeded");
    const admin = w.graphEmu.admin;
    const { groupIds, userIds } = expectedScope(w.graphEmu);
    groupId = [...groupIds][0]!;
    const group = admin.getGroup(groupId)!;
    groupTargetId = w.scimSrv.listGroups().find((g) => g.externalId === groupId)!.id;
    const outsiders = [...userIds].filter((id) => !group.members.includes(id) && admin.getUser(id)!.accountEnabled);
    expect(outsiders.length).toBeGreaterThanOrEqual(9);
    const chosen = outsiders.slice(0, 9);
    const v = admin.getUser(chosen[4]!)!;
    victim = { id: v.id, upn: v.userPrincipalName, targetId: userTargetId(v.userPrincipalName) };
    others = chosen.filter((id) => id !== v.id).map((id) => userTargetId(admin.getUser(id)!.userPrincipalName));
    await w.scim.delete("Users", victim.targetId);
    for (const id of chosen) admin.addMember(groupId, id);
  });
  afterAll(() => w.close());

  it("every member the target accepts gets in; the refused one is logged once with the target's detail", async () => {
    const mark = w.scimSrv.requests.length;
    const { summary } = await w.run();
    expect(summary.outcome).toBe("completedWithFailures");
    expect(summary.counts.memberships.added).toBe(8);
    expect(summary.counts.groups.failed).toBe(1);
    const ids = memberIds();
    for (const id of others) expect(ids.has(id)).toBe(true);
    // Bisecting the refused batch of 4 (4 → 2 + 2 → 1 + 1): 3 PATCHes for the batches, 4 more to find the member.
    const patches = targetWrites(w.scimSrv, mark).filter((r) => r.path === `/Groups/${groupTargetId}`);
    expect(patches).toHaveLength(7);
    expect(patches.filter((r) => r.status === 400)).toHaveLength(3);

    const failures = listLogEntries(w.db, w.profile.name, { cycleId: summary.id, limit: 100 }).filter(
      (e) => e.status === "Failure",
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ objectType: "group", sourceId: groupId, errorCode: "InvalidValue" });
    expect(failures[0]!.message).toContain(
      `It said: "Member "${victim.targetId}" is not the id of an existing user or group".`,
    );
    expect(failures[0]!.modified).toEqual([{ attribute: "members (refused to add)", old: null, new: [victim.upn] }]);
    expect(failures[0]!.recommendation).toMatch(/^Correct the value the app refused/);
    expect(failures[0]!.recommendation).not.toMatch(/request style/);
    const escrowed = loadMembershipEscrow(w.db, w.profile.name).get(groupId)?.get(victim.id);
    expect(escrowed).toMatchObject({ op: "add", attempts: 1, errorCode: "InvalidValue" });
  });

  it("the next no-change cycle sends nothing, and its log still shows the known failure and its cause", async () => {
    const mark = w.scimSrv.requests.length;
    const { summary } = await w.run();
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    expect(summary.outcome).toBe("succeeded");
    expect(summary.counts.groups).toMatchObject({ skipped: 1, failed: 0 });
    const [held] = listLogEntries(w.db, w.profile.name, { cycleId: summary.id, limit: 100 });
    expect(held).toMatchObject({ status: "Skipped", sourceId: groupId, errorCode: "InvalidValue" });
    expect(held!.message).toContain("is not the id of an existing user or group");
    expect(held!.steps[0]!.detail).toMatch(/^1 member change the target refused; not sent again before 20/);
  });

  it("a preview while the change is held sends nothing and says in its one entry that the change stays held", async () => {
    const mark = w.scimSrv.requests.length;
    const dry = await w.run({ dryRun: true });
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    expect(dry.summary.counts.groups).toMatchObject({ skipped: 1, failed: 0 });
    expect(listLogEntries(w.db, w.profile.name, { cycleId: dry.summary.id, limit: 100 }).map((e) => e.message)).toEqual(
      [
        "Preview: nothing to change; nothing was sent to the target. Member changes of 1 group stay held: the target " +
          "refused them earlier (see the last cycle's log).",
      ],
    );
  });

  it("once the back-off is due the member is tried alone, and a second refusal backs off further", async () => {
    const due = loadMembershipEscrow(w.db, w.profile.name).get(groupId)!.get(victim.id)!.retryAfter;
    const later = new Date(Date.parse(due) + 1000);
    const mark = w.scimSrv.requests.length;
    const { db, profile, rules, graph, scim } = w;
    const { summary } = await runCycle(
      { db, profile, rules, graph, scim, now: () => later },
      { dryRun: false, full: false, allowDeletes: false },
    );
    expect(summary.counts.groups.failed).toBe(1);
    expect(targetWrites(w.scimSrv, mark).map((r) => [r.method, r.path, r.status])).toEqual([
      ["PATCH", `/Groups/${groupTargetId}`, 400],
    ]);
    const again = loadMembershipEscrow(w.db, w.profile.name).get(groupId)!.get(victim.id)!;
    expect(again.attempts).toBe(2);
    expect(Date.parse(again.retryAfter) - later.getTime()).toBe(120 * 60_000);
  });
});
