import { afterEach, describe, expect, it } from "vitest";
import { createPlans } from "../../../electron/engine/service/plans";
import { expectedScope, startWorld, targetWrites, type World } from "./harness";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const plansOf = (world: World) =>
  createPlans({ db: world.db, profileName: () => world.profile.name, runCycle: (o) => world.run(o) });

describe("reviewable plan", () => {
  it("applies exactly the approved items: two rejected creates stay out of the target, everything else goes in", async () => {
    w = await startWorld({ users: 40, seed: 21 });
    const plans = plansOf(w);
    const preview = await plans.preview();
    expect(w.scimSrv.listUsers()).toHaveLength(0);
    const creates = preview.items.filter((i) => i.kind === "create" && i.objectType === "user");
    expect(new Set(preview.items.map((i) => i.id)).size).toBe(preview.items.length);
    // The same plan by id and by cycle, filtered by search.
    const rejected = creates.slice(0, 2);
    expect(plans.get({ cycleId: preview.cycleId }).id).toBe(preview.id);
    expect(plans.get({ planId: preview.id }, { search: rejected[0]!.displayName }).items.map((i) => i.id)).toContain(
      rejected[0]!.id,
    );
    // Their memberships go with them: a member add of a user not created is rejected too.
    const rejectedIds = new Set(rejected.map((i) => i.sourceId));
    const alsoRejected = preview.items.filter((i) => i.kind === "memberAdd" && rejectedIds.has(i.sourceId));

    const result = await plans.apply(preview.id, {
      approved: "all",
      rejected: [...rejected, ...alsoRejected].map((i) => i.id),
    });
    expect(result.status).toBe("applied");
    const held = new Set(w.scimSrv.listUsers().map((u) => u.userName));
    const expected = creates.filter((c) => !rejectedIds.has(c.sourceId));
    expect(held.size).toBe(expected.length);
    for (const c of expected) expect(held).toContain(w.graphEmu.admin.getUser(c.sourceId)!.userPrincipalName);
    for (const r of rejected) expect(held).not.toContain(w.graphEmu.admin.getUser(r.sourceId)!.userPrincipalName);

    // Not approved is not forgotten: the next cycle still plans the two creates.
    const next = await plans.preview();
    expect(next.items.filter((i) => i.kind === "create").map((i) => i.id)).toEqual(
      expect.arrayContaining(rejected.map((i) => i.id)),
    );
    expect(next.items.filter((i) => i.kind === "create" && i.objectType === "user")).toHaveLength(2);

    const csv = plans.exportCsv(next.id);
    expect(csv.filename).toMatch(/\.csv$/);
    expect(csv.content.split("\r\n")[0]).toBe(
      "item id,action,object type,display name,source id,target id,group,attribute,before,after,reason",
    );
    expect(csv.content).toContain(rejected[0]!.id);
  });

  it("shows held deletions of a cycle stopped at the threshold; allowing them once disables exactly those", async () => {
    w = await startWorld({ users: 80, seed: 13, profile: { safety: { deletionThreshold: 2, canaryFraction: 0.1 } } });
    const plans = plansOf(w);
    expect((await w.run()).summary.outcome).toBe("succeeded");
    const victims = [...expectedScope(w.graphEmu).userIds]
      .map((id) => w!.graphEmu.admin.getUser(id)!)
      .filter((u) => u.accountEnabled)
      .slice(0, 3);
    for (const u of victims) w.graphEmu.admin.disableUser(u.id);

    const stopped = await w.run();
    expect(stopped.summary.outcome).toBe("stoppedByDeletionThreshold");
    const plan = plans.get({ cycleId: stopped.summary.id });
    const heldItems = plan.items.filter((i) => i.kind === "heldDelete");
    expect(heldItems.map((i) => i.sourceId).sort()).toEqual(victims.map((u) => u.id).sort());

    const mark = w.scimSrv.requests.length;
    const result = await plans.apply(plan.id, { approved: heldItems.map((i) => i.id) });
    expect(result).toMatchObject({ status: "applied", summary: { outcome: "succeeded" } });
    expect(targetWrites(w.scimSrv, mark)).toHaveLength(3);
    for (const u of victims)
      expect(w.scimSrv.listUsers().find((t) => t.userName === u.userPrincipalName)?.active).toBe(false);
  });

  it("applies nothing when Entra changed an approved item since the preview, and shows what changed", async () => {
    w = await startWorld({ users: 40, seed: 5 });
    const plans = plansOf(w);
    await w.run();
    const user = [...expectedScope(w.graphEmu).userIds]
      .map((id) => w!.graphEmu.admin.getUser(id)!)
      .find((u) => u.accountEnabled)!;
    w.graphEmu.admin.updateUser(user.id, { displayName: "Before Preview" });
    const preview = await plans.preview();
    const item = preview.items.find((i) => i.id === `user:${user.id}`)!;
    expect(item.kind).toBe("update");
    expect(item.changes).toContainEqual(expect.objectContaining({ attribute: "displayName", new: "Before Preview" }));

    w.graphEmu.admin.updateUser(user.id, { displayName: "After Preview" });
    const mark = w.scimSrv.requests.length;
    const result = await plans.apply(preview.id, { approved: "all" });
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    if (result.status !== "changed") throw new Error(`expected "changed", got ${result.status}`);
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({ itemId: item.id, change: "changed" });
    expect(result.changes[0]!.now!.changes).toContainEqual(
      expect.objectContaining({ attribute: "displayName", new: "After Preview" }),
    );
    // The plan as it stands now can be approved again.
    const again = await plans.apply(result.plan.id, { approved: [item.id] });
    expect(again.status).toBe("applied");
    expect(w.scimSrv.listUsers().find((t) => t.userName === user.userPrincipalName)?.displayName).toBe("After Preview");
  });

  it("a cycle stopped by the canary has no items to approve; a preview past the check lists the disables, applying them lets the next cycle run", async () => {
    w = await startWorld({ users: 60, seed: 13 });
    const plans = plansOf(w);
    expect((await w.run()).summary.outcome).toBe("succeeded");
    for (const g of expectedScope(w.graphEmu).groupIds) w.graphEmu.admin.unassign(g);
    const stopped = await w.run();
    expect(stopped.summary.outcome).toBe("stoppedByCanary");
    const plan = plans.get({ cycleId: stopped.summary.id });
    expect(plan).toMatchObject({ outcome: "stoppedByCanary", items: [] });
    const mark = w.scimSrv.requests.length;
    await expect(plans.apply(plan.id, { approved: "all" })).rejects.toThrow(/Preview what would go/);
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);

    const past = await plans.preview(true);
    expect(past.outcome).toBe("succeeded");
    const goes = past.items.filter((i) => i.kind === "disable" || i.kind === "delete");
    const active = () => w!.scimSrv.listUsers().filter((u) => u.active !== false).length;
    const activeBefore = active();
    expect(goes.length).toBeGreaterThan(0);
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    expect((await plans.apply(past.id, { approved: "all" })).status).toBe("applied");
    expect(active()).toBe(activeBefore - goes.filter((i) => i.objectType === "user").length);
    // The drop was reviewed and applied: the next cycle is not stopped by the canary again.
    expect((await w.run()).summary.outcome).toBe("succeeded");
  });
});
