import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listLogEntries } from "../../../electron/engine/db";
import { actualTarget, expectedScope, startWorld, targetWrites, type World } from "./harness";

/** Each Entra change, one incremental cycle at a time: exactly the expected requests and target state. */
describe("incremental cycles after Entra changes", () => {
  let w: World;
  let mark = 0;
  const writes = () => targetWrites(w.scimSrv, mark).map((r) => ({ method: r.method, path: r.path, body: r.body }));
  const targetUser = (upn: string) => w.scimSrv.listUsers().find((u) => u.userName === upn);
  const targetGroup = (entraId: string) => w.scimSrv.listGroups().find((g) => g.externalId === entraId);
  const cycle = async () => {
    mark = w.scimSrv.requests.length;
    const graphMark = w.graphEmu.requests.length;
    const result = await w.run();
    expect(result.summary.error).toBeNull();
    expect(result.summary.kind).toBe("incremental");
    // Incremental: Graph is only asked for changes (plus the app's assignments), never for whole collections.
    const graphPaths = w.graphEmu.requests.slice(graphMark).map((r) => r.path);
    expect(graphPaths.filter((p) => /\/v1\.0\/(users|groups)(\/delta)?\?\$select/.test(p))).toEqual([]);
    return result;
  };
  /** An enabled user in the target that is a member of an assigned group and not assigned directly. */
  const groupMember = (exclude: string[] = []) => {
    const admin = w.graphEmu.admin;
    const direct = new Set(admin.listAssignments().map((a) => a.principalId));
    const { groupIds } = expectedScope(w.graphEmu);
    for (const g of groupIds) {
      for (const m of admin.getGroup(g)!.members) {
        const u = admin.getUser(m);
        if (u && u.accountEnabled && !direct.has(m) && !exclude.includes(m) && targetUser(u.userPrincipalName))
          return { user: u, groupId: g };
      }
    }
    throw new Error("no suitable member");
  };

  beforeAll(async () => {
    w = await startWorld({ users: 120, seed: 11 });
    const first = await w.run();
    expect(first.summary.outcome).toBe("succeeded");
  });
  afterAll(() => w.close());

  it("a second cycle with no change writes nothing", async () => {
    await cycle();
    expect(writes()).toEqual([]);
  });

  it("an attribute edit sends one PATCH with only that attribute", async () => {
    const { user } = groupMember();
    w.graphEmu.admin.updateUser(user.id, { surname: "Öztürk-Smith" });
    const { summary } = await cycle();
    const tid = targetUser(user.userPrincipalName)!.id;
    expect(writes()).toEqual([
      {
        method: "PATCH",
        path: `/Users/${tid}`,
        body: {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "Replace", path: "name.familyName", value: "Öztürk-Smith" }],
        },
      },
    ]);
    expect(targetUser(user.userPrincipalName)?.name?.familyName).toBe("Öztürk-Smith");
    expect(summary.counts.users.update).toBe(1);
    const [entry] = listLogEntries(w.db, w.profile.name, { cycleId: summary.id, limit: 10 });
    expect(entry).toMatchObject({
      action: "Update",
      status: "Success",
      targetId: tid,
      modified: [{ attribute: "name.familyName", old: user.surname, new: "Öztürk-Smith" }],
    });
  });

  it('disabling the account disables the target user (active "False"), enabling re-enables it', async () => {
    const { user } = groupMember();
    const tid = targetUser(user.userPrincipalName)!.id;
    w.graphEmu.admin.disableUser(user.id);
    const { summary } = await cycle();
    expect(writes()).toEqual([
      {
        method: "PATCH",
        path: `/Users/${tid}`,
        body: expect.objectContaining({ Operations: [{ op: "Replace", path: "active", value: "False" }] }),
      },
    ]);
    expect(summary.counts.users.disable).toBe(1);
    expect(targetUser(user.userPrincipalName)?.active).toBe(false);
    w.graphEmu.admin.enableUser(user.id);
    await cycle();
    expect(writes()).toEqual([
      {
        method: "PATCH",
        path: `/Users/${tid}`,
        body: expect.objectContaining({ Operations: [{ op: "Replace", path: "active", value: "True" }] }),
      },
    ]);
    expect(targetUser(user.userPrincipalName)?.active).toBe(true);
  });

  it("unassigning a directly assigned user disables it", async () => {
    const admin = w.graphEmu.admin;
    const { groupIds } = expectedScope(w.graphEmu);
    const inGroups = new Set([...groupIds].flatMap((g) => admin.getGroup(g)!.members));
    const direct = admin
      .listAssignments()
      .find(
        (a) =>
          a.principalType === "User" && !inGroups.has(a.principalId) && admin.getUser(a.principalId)?.accountEnabled,
      );
    expect(direct).toBeDefined();
    const upn = admin.getUser(direct!.principalId)!.userPrincipalName;
    admin.unassign(direct!.principalId);
    await cycle();
    expect(writes()).toEqual([
      {
        method: "PATCH",
        path: `/Users/${targetUser(upn)!.id}`,
        body: expect.objectContaining({ Operations: [{ op: "Replace", path: "active", value: "False" }] }),
      },
    ]);
    expect(targetUser(upn)?.active).toBe(false);
  });

  it("soft delete disables (and drops its memberships), restore re-enables, purge deletes", async () => {
    const { user, groupId } = groupMember();
    const tid = targetUser(user.userPrincipalName)!.id;
    const gid = targetGroup(groupId)!.id;
    w.graphEmu.admin.softDeleteUser(user.id);
    await cycle();
    expect(writes()).toEqual(
      expect.arrayContaining([
        {
          method: "PATCH",
          path: `/Users/${tid}`,
          body: expect.objectContaining({ Operations: [{ op: "Replace", path: "active", value: "False" }] }),
        },
        {
          method: "PATCH",
          path: `/Groups/${gid}`,
          body: expect.objectContaining({ Operations: [{ op: "Remove", path: "members", value: [{ value: tid }] }] }),
        },
      ]),
    );
    expect(writes()).toHaveLength(2);
    expect(targetUser(user.userPrincipalName)?.active).toBe(false);
    expect(targetGroup(groupId)!.members.map((m) => m.value)).not.toContain(tid);

    w.graphEmu.admin.restoreUser(user.id);
    await cycle();
    expect(writes()[0]).toEqual({
      method: "PATCH",
      path: `/Users/${tid}`,
      body: expect.objectContaining({ Operations: [{ op: "Replace", path: "active", value: "True" }] }),
    });
    expect(targetUser(user.userPrincipalName)?.active).toBe(true);

    w.graphEmu.admin.purgeUser(user.id);
    const { summary } = await cycle();
    expect(writes().filter((r) => r.method === "DELETE")).toEqual([
      { method: "DELETE", path: `/Users/${tid}`, body: undefined },
    ]);
    expect(targetUser(user.userPrincipalName)).toBeUndefined();
    expect(summary.counts.users.delete).toBe(1);
  });

  it("a group rename sends one displayName replace", async () => {
    const [groupId] = expectedScope(w.graphEmu).groupIds;
    const gid = targetGroup(groupId!)!.id;
    w.graphEmu.admin.renameGroup(groupId!, 'Renamed – Team "Ω"');
    await cycle();
    expect(writes()).toEqual([
      {
        method: "PATCH",
        path: `/Groups/${gid}`,
        body: expect.objectContaining({
          Operations: [{ op: "Replace", path: "displayName", value: 'Renamed – Team "Ω"' }],
        }),
      },
    ]);
    expect(targetGroup(groupId!)?.displayName).toBe('Renamed – Team "Ω"');
  });

  it("adding a new user to an assigned group creates the user, then adds it in one PATCH; removing it drops the membership and disables it", async () => {
    const admin = w.graphEmu.admin;
    const [groupId] = expectedScope(w.graphEmu).groupIds;
    const gid = targetGroup(groupId!)!.id;
    const user = admin.addUser({
      userPrincipalName: "new.hire@contoso.com",
      displayName: "New Hire",
      givenName: "New",
      surname: "Hire",
      mailNickname: "new.hire",
    });
    admin.addMember(groupId!, user.id);
    await cycle();
    const created = targetUser("new.hire@contoso.com");
    expect(created).toMatchObject({ active: true, displayName: "New Hire", externalId: "new.hire" });
    expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual(["POST /Users", `PATCH /Groups/${gid}`]);
    expect(writes()[1]!.body).toMatchObject({
      Operations: [{ op: "Add", path: "members", value: [{ value: created!.id }] }],
    });

    admin.removeMember(groupId!, user.id);
    await cycle();
    expect(writes()).toEqual(
      expect.arrayContaining([
        {
          method: "PATCH",
          path: `/Groups/${gid}`,
          body: expect.objectContaining({
            Operations: [{ op: "Remove", path: "members", value: [{ value: created!.id }] }],
          }),
        },
        {
          method: "PATCH",
          path: `/Users/${created!.id}`,
          body: expect.objectContaining({ Operations: [{ op: "Replace", path: "active", value: "False" }] }),
        },
      ]),
    );
    expect(writes()).toHaveLength(2);
  });

  it("assigning a new group creates it, its new members, and adds them in batched PATCHes", async () => {
    const admin = w.graphEmu.admin;
    const before = actualTarget(w.scimSrv).users.length;
    const members = ["a", "b", "c"].map((x) =>
      admin.addUser({
        userPrincipalName: `team.${x}@contoso.com`,
        displayName: `Team ${x}`,
        givenName: "Team",
        surname: x,
        mailNickname: `team.${x}`,
      }),
    );
    const group = admin.createGroup({ displayName: "Project Falcon", members: members.map((m) => m.id) });
    admin.assign(group.id);
    w.scimSrv.setFaults({}); // no faults
    await cycle();
    const g = targetGroup(group.id)!;
    expect(g.displayName).toBe("Project Falcon");
    expect(g.members).toHaveLength(3);
    expect(actualTarget(w.scimSrv).users.length).toBe(before + 3);
    const groupWrites = writes().filter((r) => r.path.startsWith("/Groups"));
    expect(groupWrites.map((r) => r.method)).toEqual(["POST", "PATCH"]);
    expect(groupWrites[0]!.body).not.toHaveProperty("members");
  });

  it("an expired delta link triggers a full read that creates no duplicate", async () => {
    const before = actualTarget(w.scimSrv);
    w.graphEmu.admin.expireDeltaTokens();
    mark = w.scimSrv.requests.length;
    const { summary } = await w.run();
    expect(summary.error).toBeNull();
    expect(summary.kind).toBe("initial");
    expect(writes()).toEqual([]);
    expect(actualTarget(w.scimSrv)).toEqual(before);
    // And the next cycle is incremental again.
    await cycle();
    expect(writes()).toEqual([]);
  });
});
