import { afterEach, describe, expect, it } from "vitest";
import { actualTarget, expectedScope, startWorld, targetWrites, type World } from "./harness";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** A fresh assigned group holding a nested group with one user nobody assigned. */
function nestedSetup(world: World) {
  const admin = world.graphEmu.admin;
  const direct = admin.addUser({
    userPrincipalName: "direct.member@contoso.com",
    displayName: "Direct Member",
    givenName: "D",
    surname: "M",
    mailNickname: "direct.member",
  });
  const nestedUser = admin.addUser({
    userPrincipalName: "nested.member@contoso.com",
    displayName: "Nested Member",
    givenName: "N",
    surname: "M",
    mailNickname: "nested.member",
  });
  const inner = admin.createGroup({ displayName: "Inner Team", members: [nestedUser.id] });
  const outer = admin.createGroup({ displayName: "Outer Team", members: [direct.id, inner.id] });
  admin.assign(outer.id);
  return { outer, inner };
}

describe("scope", () => {
  it("an assigned group contributes its direct members only, unless nested groups are opted in", async () => {
    w = await startWorld({ users: 40, seed: 2 });
    nestedSetup(w);
    await w.run();
    const names = () => w!.scimSrv.listUsers().map((u) => u.userName);
    expect(names()).toContain("direct.member@contoso.com");
    expect(names()).not.toContain("nested.member@contoso.com");
    await w.close();

    w = await startWorld({ users: 40, seed: 2, profile: { source: { includeNestedGroups: true } } });
    nestedSetup(w);
    await w.run();
    expect(names()).toEqual(expect.arrayContaining(["direct.member@contoso.com", "nested.member@contoso.com"]));
    // The nested group is not itself provisioned; only assigned groups are.
    expect(w.scimSrv.listGroups().map((g) => g.displayName)).not.toContain("Inner Team");
  });

  it('"groups" scope provisions the members of the picked groups, whatever the app\'s assignments', async () => {
    w = await startWorld({ users: 60, seed: 2, profile: { source: { scope: { groups: ["Picked Crew"] } } } });
    const admin = w.graphEmu.admin;
    const inScope = expectedScope(w.graphEmu).userIds;
    const members = admin
      .listUsers()
      .filter((u) => !inScope.has(u.id) && u.accountEnabled)
      .slice(0, 3);
    admin.createGroup({ displayName: "Picked Crew", members: members.map((m) => m.id) });
    const { summary } = await w.run();
    expect(summary.error).toBeNull();
    const target = actualTarget(w.scimSrv);
    expect(target.users.map((u) => u.userName).sort()).toEqual(members.map((m) => m.userPrincipalName).sort());
    expect(target.groups).toEqual([
      expect.objectContaining({ displayName: "Picked Crew", members: members.map((m) => m.userPrincipalName).sort() }),
    ]);
  });
});

describe("group provisioning off", () => {
  it("provisions the users in scope and never touches /Groups", async () => {
    w = await startWorld({ users: 60, seed: 2, profile: { target: { provisionGroups: false } } });
    const { summary } = await w.run();
    expect(summary.error).toBeNull();
    expect(w.scimSrv.listUsers().length).toBeGreaterThan(3);
    expect(w.scimSrv.requests.filter((r) => r.path.startsWith("/Groups"))).toEqual([]);
  });
});

describe("deprovisioning policy and target actions", () => {
  const unassignDirect = (world: World) => {
    const admin = world.graphEmu.admin;
    const { groupIds } = expectedScope(world.graphEmu);
    const inGroups = new Set([...groupIds].flatMap((g) => admin.getGroup(g)!.members));
    const a = admin
      .listAssignments()
      .find(
        (x) =>
          x.principalType === "User" && !inGroups.has(x.principalId) && admin.getUser(x.principalId)?.accountEnabled,
      )!;
    admin.unassign(a.principalId);
    return admin.getUser(a.principalId)!;
  };

  it('users policy "delete" deletes an unassigned user instead of disabling it', async () => {
    w = await startWorld({ users: 150, seed: 6, profile: { deprovision: { users: "delete", groups: "delete" } } });
    await w.run();
    const user = unassignDirect(w);
    const mark = w.scimSrv.requests.length;
    const { summary } = await w.run();
    expect(summary.counts.users.delete).toBe(1);
    expect(targetWrites(w.scimSrv, mark).map((r) => r.method)).toEqual(["DELETE"]);
    expect(w.scimSrv.listUsers().find((u) => u.userName === user.userPrincipalName)).toBeUndefined();
  });

  it("with the delete action switched off, nothing is disabled or deleted", async () => {
    w = await startWorld({
      users: 150,
      seed: 6,
      profile: { target: { actions: { create: true, update: true, delete: false } } },
    });
    await w.run();
    const user = unassignDirect(w);
    const mark = w.scimSrv.requests.length;
    await w.run();
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    expect(w.scimSrv.listUsers().find((u) => u.userName === user.userPrincipalName)?.active).toBe(true);
  });
});
