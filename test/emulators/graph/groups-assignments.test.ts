import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDirectory, startGraphEmulator, type GraphEmulator } from "../../../electron/emulators/graph";
import { httpFor, type Http } from "./helpers";

type Obj = Record<string, unknown>;
let emu: GraphEmulator;
let http: Http;
const directory = generateDirectory({ seed: 5, users: 300, groups: 20, directAssignmentRatio: 0.1 });

beforeAll(async () => {
  emu = await startGraphEmulator({ directory, seed: 5 });
  http = httpFor(emu);
});

afterAll(async () => {
  await http.close();
  await emu.close();
});

const all = async (path: string) => (await http.pages(path)).flatMap((p) => p.value as Obj[]);

describe("groups", () => {
  it("lists groups with $select and paging", async () => {
    const pages = await http.pages("/v1.0/groups?$select=id,displayName,securityEnabled&$top=7");
    expect(pages).toHaveLength(3);
    const groups = pages.flatMap((p) => p.value as Obj[]);
    expect(groups.map((g) => g.id)).toEqual(directory.groups.map((g) => g.id));
    expect(Object.keys(groups[0] ?? {})).toEqual(["id", "displayName", "securityEnabled"]);
  });

  it("lists direct members as directoryObjects with @odata.type, nested groups included", async () => {
    const nesting = directory.groups.find((g) => g.displayName.startsWith("Nested"));
    const members = await all(`/v1.0/groups/${nesting?.id}/members?$select=id,displayName,userPrincipalName`);
    expect(members.map((m) => m.id).sort()).toEqual([...(nesting?.members ?? [])].sort());
    const group = members.find((m) => m["@odata.type"] === "#microsoft.graph.group");
    const user = members.find((m) => m["@odata.type"] === "#microsoft.graph.user");
    expect(group).toBeDefined();
    // Properties a type does not have are left out (a group has no userPrincipalName).
    expect(Object.keys(group ?? {}).sort()).toEqual(["@odata.type", "displayName", "id"]);
    expect(user).toHaveProperty("userPrincipalName");
  });

  it("pages big member lists and resolves transitive members once each", async () => {
    const dept = directory.groups[0];
    const pages = await http.pages(`/v1.0/groups/${dept?.id}/members?$select=id&$top=10`);
    expect(pages.length).toBe(Math.ceil((dept?.members.length ?? 0) / 10));
    const nesting = directory.groups.find((g) => g.displayName.startsWith("Nested"));
    const transitive = await all(`/v1.0/groups/${nesting?.id}/transitiveMembers?$select=id&$top=999`);
    const expected = new Set<string>();
    const walk = (id: string) => {
      for (const m of directory.groups.find((g) => g.id === id)?.members ?? []) {
        if (expected.has(m)) continue;
        expected.add(m);
        walk(m);
      }
    };
    walk(nesting?.id ?? "");
    expect(transitive.map((m) => m.id).sort()).toEqual([...expected].sort());
    expect((await http.get("/v1.0/groups/00000000-0000-0000-0000-000000000009/members")).status).toBe(404);
  });

  it("lists a user's direct groups under memberOf, by id or UPN, without soft-deleted groups", async () => {
    const user = directory.users.find((u) => directory.groups.filter((g) => g.members.includes(u.id)).length > 1)!;
    const direct = directory.groups.filter((g) => g.members.includes(user.id)).map((g) => g.id);
    const byId = await all(`/v1.0/users/${user.id}/memberOf?$select=id`);
    expect(byId.map((g) => g.id).sort()).toEqual([...direct].sort());
    expect(byId.every((g) => g["@odata.type"] === "#microsoft.graph.group")).toBe(true);
    const byUpn = await all(`/v1.0/users/${encodeURIComponent(user.userPrincipalName)}/memberOf?$select=id`);
    expect(byUpn.map((g) => g.id).sort()).toEqual([...direct].sort());
    emu.admin.softDeleteGroup(direct[0]!);
    try {
      const after = await all(`/v1.0/users/${user.id}/memberOf?$select=id`);
      expect(after.map((g) => g.id)).not.toContain(direct[0]);
    } finally {
      emu.admin.restoreGroup(direct[0]!);
    }
    expect((await http.get("/v1.0/users/nobody@contoso.com/memberOf")).status).toBe(404);
  });
});

describe("servicePrincipals and appRoleAssignedTo", () => {
  it("finds the enterprise app by appId filter", async () => {
    const r = await http.get(
      `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${emu.appId}'`)}&$select=id,appId,displayName`,
    );
    expect(r.body.value).toEqual([
      { id: directory.app.servicePrincipalId, appId: emu.appId, displayName: "Splashtop" },
    ]);
    const none = await http.get(
      `/v1.0/servicePrincipals?$filter=${encodeURIComponent("appId eq '11111111-2222-3333-4444-555555555555'")}`,
    );
    expect(none.body.value).toEqual([]);
  });

  it("lists assignments with Graph's shape and paging, and follows assign/unassign", async () => {
    const spId = directory.app.servicePrincipalId;
    const pages = await http.pages(`/v1.0/servicePrincipals/${spId}/appRoleAssignedTo?$top=10`);
    expect(pages.length).toBeGreaterThan(1);
    const items = pages.flatMap((p) => p.value as Obj[]);
    expect(items).toHaveLength(directory.assignments.length);
    const groupAssignment = items.find((i) => i.principalType === "Group");
    const group = directory.groups.find((g) => g.id === groupAssignment?.principalId);
    expect(groupAssignment).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      deletedDateTime: null,
      appRoleId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      createdDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      principalDisplayName: group?.displayName,
      principalId: group?.id,
      principalType: "Group",
      resourceDisplayName: "Splashtop",
      resourceId: spId,
    });
    expect(items.some((i) => i.principalType === "User")).toBe(true);

    const newcomer = emu.admin.addUser({ displayName: "Søren O'Connor" });
    emu.admin.assign(newcomer.id);
    const withNew = await all(`/v1.0/servicePrincipals/${spId}/appRoleAssignedTo?$top=999`);
    expect(withNew.find((i) => i.principalId === newcomer.id)).toMatchObject({
      principalType: "User",
      principalDisplayName: "Søren O'Connor",
    });
    expect(emu.admin.unassign(newcomer.id)).toBe(1);
    const after = await all(`/v1.0/servicePrincipals/${spId}/appRoleAssignedTo?$top=999`);
    expect(after.some((i) => i.principalId === newcomer.id)).toBe(false);
  });

  it("answers an unknown service principal with 404", async () => {
    expect(
      (await http.get("/v1.0/servicePrincipals/00000000-0000-0000-0000-000000000001/appRoleAssignedTo")).status,
    ).toBe(404);
  });
});
