import { afterEach, describe, expect, it } from "vitest";
import { runCycle } from "../../../electron/engine/cycle";
import { getLink, linkCounts } from "../../../electron/engine/db";
import type { ScimClient } from "../../../electron/engine/target";
import { actualTarget, expectedScope, expectedTarget, SSO, startWorld, targetWrites, type World } from "./harness";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const post = (world: World, path: string, body: object) =>
  fetch(`${world.scimSrv.tenantUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${world.scimSrv.token}`, "content-type": "application/scim+json" },
    body: JSON.stringify(body),
  }).then((r) => r.json() as Promise<{ id: string }>);

describe("target states", () => {
  it("links users that already exist in the target instead of creating them, and fixes their values", async () => {
    w = await startWorld({ users: 80, seed: 4 });
    const admin = w.graphEmu.admin;
    const existing = [...expectedScope(w.graphEmu).userIds]
      .map((id) => admin.getUser(id)!)
      .filter((u) => u.accountEnabled)
      .slice(0, 2);
    // One identical but for the userName's case, one with a stale display name.
    const a = await post(w, "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: existing[0]!.userPrincipalName.toUpperCase(),
      active: true,
    });
    const b = await post(w, "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: existing[1]!.userPrincipalName,
      displayName: "Old Name",
      active: true,
    });
    const mark = w.scimSrv.requests.length;
    const { summary } = await w.run();
    expect(summary.error).toBeNull();
    expect(getLink(w.db, w.profile.name, "user", existing[0]!.id)?.targetId).toBe(a.id);
    expect(getLink(w.db, w.profile.name, "user", existing[1]!.id)?.targetId).toBe(b.id);
    expect(summary.counts.users.update).toBe(2);
    const fixed = w.scimSrv.listUsers().find((u) => u.id === b.id)!;
    expect(fixed).toMatchObject({
      displayName: existing[1]!.displayName,
      "urn:ietf:params:scim:schemas:extension:Splashtop:2.0:User": { ssoName: SSO },
    });
    expect(targetWrites(w.scimSrv, mark).filter((r) => r.method === "POST" && r.path === "/Users")).toHaveLength(
      expectedTarget(w.graphEmu).users.length - 2,
    );
    expect(w.scimSrv.listUsers()).toHaveLength(expectedTarget(w.graphEmu).users.length);
  });

  it("a full cycle compares with the target's own values and repairs drift", async () => {
    w = await startWorld({ users: 80, seed: 4 });
    await w.run();
    const victim = w.scimSrv.listUsers()[0]!;
    await fetch(`${w.scimSrv.tenantUrl}/Users/${victim.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${w.scimSrv.token}`, "content-type": "application/scim+json" },
      body: JSON.stringify({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "displayName", value: "Edited In Splashtop" }],
      }),
    });
    let mark = w.scimSrv.requests.length;
    await w.run();
    expect(targetWrites(w.scimSrv, mark)).toEqual([]); // an incremental cycle trusts what it exported
    mark = w.scimSrv.requests.length;
    const { summary } = await w.run({ full: true });
    expect(summary.counts.users.update).toBe(1);
    expect(targetWrites(w.scimSrv, mark)).toEqual([
      expect.objectContaining({
        method: "PATCH",
        path: `/Users/${victim.id}`,
        body: expect.objectContaining({
          Operations: [{ op: "Replace", path: "displayName", value: victim.displayName }],
        }),
      }),
    ]);
    expect(w.scimSrv.listUsers().find((u) => u.id === victim.id)?.displayName).toBe(victim.displayName);
  });

  it("works in strict RFC 7644 mode against a strict server (boolean active, lower-case ops, members[value eq])", async () => {
    w = await startWorld({ users: 80, seed: 4, dialect: "rfc7644", scim: { strict: true } });
    const first = await w.run();
    expect(first.summary.error).toBeNull();
    expect(actualTarget(w.scimSrv)).toEqual(expectedTarget(w.graphEmu));
    const admin = w.graphEmu.admin;
    const { groupIds } = expectedScope(w.graphEmu);
    const groupId = [...groupIds].find((g) =>
      admin.getGroup(g)!.members.some((m) => admin.getUser(m)?.accountEnabled),
    )!;
    const user = admin
      .getGroup(groupId)!
      .members.map((m) => admin.getUser(m)!)
      .find((u) => u?.accountEnabled)!;
    admin.updateUser(user.id, { displayName: "Strict Name", surname: "Strict" });
    admin.removeMember(groupId, user.id);
    const mark = w.scimSrv.requests.length;
    const { summary } = await w.run();
    expect(summary.error).toBeNull();
    expect(summary.counts.users.failed + summary.counts.groups.failed).toBe(0);
    expect(targetWrites(w.scimSrv, mark).every((r) => r.status < 300)).toBe(true);
    const tid = getLink(w.db, w.profile.name, "user", user.id)!.targetId;
    expect(
      w.scimSrv
        .listGroups()
        .find((g) => g.externalId === groupId)!
        .members.map((m) => m.value),
    ).not.toContain(tid);
    const direct = admin.listAssignments().some((a) => a.principalId === user.id);
    expect(w.scimSrv.listUsers().find((u) => u.id === tid)).toMatchObject(
      direct ? { displayName: "Strict Name" } : { active: false },
    );
  });

  it("sends memberships in batches of the target's advertised bulk.maxOperations", async () => {
    w = await startWorld({ users: 80, seed: 4, scim: { bulkMaxOperations: 2 } });
    const { summary } = await w.run();
    expect(summary.error).toBeNull();
    const expected = expectedTarget(w.graphEmu);
    expect(actualTarget(w.scimSrv)).toEqual(expected);
    const patches = targetWrites(w.scimSrv).filter((r) => r.method === "PATCH" && r.path.startsWith("/Groups"));
    expect(patches).toHaveLength(expected.groups.reduce((n, g) => n + Math.ceil(g.members.length / 2), 0));
    for (const p of patches) {
      const ops = (p.body as { Operations: { value: unknown[] }[] }).Operations;
      expect(ops.reduce((n, o) => n + o.value.length, 0)).toBeLessThanOrEqual(2);
    }
  });

  it("re-creates a user deleted in the target (InvalidAnchor) and restores its memberships", async () => {
    w = await startWorld({ users: 80, seed: 4 });
    await w.run();
    const admin = w.graphEmu.admin;
    const { groupIds } = expectedScope(w.graphEmu);
    const groupId = [...groupIds].find((g) =>
      admin.getGroup(g)!.members.some((m) => admin.getUser(m)?.accountEnabled),
    )!;
    const user = admin
      .getGroup(groupId)!
      .members.map((m) => admin.getUser(m)!)
      .find((u) => u?.accountEnabled)!;
    const oldId = getLink(w.db, w.profile.name, "user", user.id)!.targetId;
    await fetch(`${w.scimSrv.tenantUrl}/Users/${oldId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${w.scimSrv.token}` },
    });
    admin.updateUser(user.id, { jobTitle: "x", displayName: "Back Again" });

    const { summary } = await w.run();
    expect(summary.error).toBeNull();
    const again = w.scimSrv.listUsers().find((u) => u.userName === user.userPrincipalName)!;
    expect(again).toMatchObject({ displayName: "Back Again", active: true });
    expect(again.id).not.toBe(oldId);
    expect(getLink(w.db, w.profile.name, "user", user.id)?.targetId).toBe(again.id);

    await w.run();
    const group = w.scimSrv.listGroups().find((g) => g.externalId === groupId)!;
    expect(group.members.map((m) => m.value)).toContain(again.id);
    expect(actualTarget(w.scimSrv).users.filter((u) => u.userName === user.userPrincipalName)).toHaveLength(1);
  });

  it("a 409 on create links the existing object instead of failing", async () => {
    w = await startWorld({ users: 80, seed: 4 });
    await w.run();
    const admin = w.graphEmu.admin;
    const [groupId] = expectedScope(w.graphEmu).groupIds;
    const user = admin.addUser({
      userPrincipalName: "race@contoso.com",
      displayName: "Race",
      givenName: "Ra",
      surname: "Ce",
      mailNickname: "race",
    });
    admin.addMember(groupId!, user.id);
    // Someone creates it in the target between our lookup and our POST: the lookup saw nothing.
    const existing = await post(w, "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "race@contoso.com",
      active: true,
    });
    let hidden = true;
    const scim: ScimClient = Object.create(w.scim, {
      find: {
        value: async (...args: Parameters<ScimClient["find"]>) =>
          hidden && args[2] === "race@contoso.com" ? ((hidden = false), []) : w!.scim.find(...args),
      },
    });
    const { summary } = await runCycle(
      { db: w.db, profile: w.profile, rules: w.rules, graph: w.graph, scim },
      { dryRun: false, full: false, allowDeletes: false },
    );
    expect(summary.error).toBeNull();
    expect(summary.counts.users.failed).toBe(0);
    expect(getLink(w.db, w.profile.name, "user", user.id)?.targetId).toBe(existing.id);
    expect(w.scimSrv.listUsers().filter((u) => u.userName === "race@contoso.com")).toEqual([
      expect.objectContaining({ displayName: "Race", id: existing.id }),
    ]);
    expect(linkCounts(w.db, w.profile.name).users).toBe(w.scimSrv.listUsers().length);
  });
});
