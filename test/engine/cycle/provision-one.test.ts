import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionOne } from "../../../electron/engine/cycle";
import { getLink } from "../../../electron/engine/db";
import { SSO, expectedScope, startWorld, targetWrites, type World } from "./harness";

describe("provision on demand", () => {
  let w: World;
  const deps = () => ({ db: w.db, profile: w.profile, rules: w.rules, graph: w.graph, scim: w.scim });
  beforeAll(async () => {
    w = await startWorld({ users: 60, seed: 9 });
  });
  afterAll(() => w.close());

  it("creates one in-scope user by UPN, reporting every step", async () => {
    const admin = w.graphEmu.admin;
    const user = [...expectedScope(w.graphEmu).userIds].map((id) => admin.getUser(id)!).find((u) => u.accountEnabled)!;
    const result = await provisionOne(deps(), user.userPrincipalName);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ["Test connection", "Success"],
      ["Import user", "Success"],
      ["Determine scope", "Success"],
      ["Match user", "Success"],
      ["Perform action", "Success"],
    ]);
    expect(result.action?.action).toBe("Create");
    const created = w.scimSrv.listUsers();
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      userName: user.userPrincipalName,
      active: true,
      "urn:ietf:params:scim:schemas:extension:Splashtop:2.0:User": { ssoName: SSO },
    });
    expect(getLink(w.db, w.profile.name, "user", user.id)?.targetId).toBe(created[0]!.id);
    expect(result.entry).toMatchObject({ action: "Create", status: "Success", targetId: created[0]!.id });

    // Again: already right, nothing to do.
    const again = await provisionOne(deps(), user.id);
    expect(again.action).toBeNull();
    expect(again.steps.at(-1)).toMatchObject({ name: "Perform action", status: "Skipped" });
    expect(w.scimSrv.listUsers()).toHaveLength(1);
  });

  it("does not create a user outside the app's scope, and says why", async () => {
    const admin = w.graphEmu.admin;
    const inScope = expectedScope(w.graphEmu).userIds;
    const outside = admin.listUsers().find((u) => !inScope.has(u.id) && u.accountEnabled)!;
    const result = await provisionOne(deps(), outside.userPrincipalName);
    expect(result.steps.find((s) => s.name === "Determine scope")).toMatchObject({
      status: "Skipped",
      detail: "Not assigned to the app.",
    });
    expect(result.action).toBeNull();
    expect(w.scimSrv.listUsers().find((u) => u.userName === outside.userPrincipalName)).toBeUndefined();
  });

  it("reports an unknown user at the import step", async () => {
    const result = await provisionOne(deps(), "nobody@contoso.com");
    expect(result.steps.at(-1)).toMatchObject({ name: "Import user", status: "Failure" });
    expect(result.steps.at(-1)!.detail).toMatch(/no user "nobody@contoso.com"/);
    expect(result.failureKind).toBe("notFound");
  });
});

describe("provision on demand and groups", () => {
  let w: World;
  const deps = () => ({ db: w.db, profile: w.profile, rules: w.rules, graph: w.graph, scim: w.scim });
  beforeAll(async () => {
    w = await startWorld({ users: 40, seed: 4 });
  });
  afterAll(() => w.close());

  it("adds the user to the provisioned target groups it belongs to in Entra, and names the deciding scope rule", async () => {
    expect((await w.run()).summary.outcome).toBe("succeeded");
    const admin = w.graphEmu.admin;
    const assignedGroup = admin.listAssignments().find((a) => a.principalType === "Group")!.principalId;
    const targetGroup = w.scimSrv.listGroups().find((g) => g.externalId === assignedGroup)!;
    expect(targetGroup).toBeDefined();
    const user = admin.addUser({ displayName: "Provision Ondemand", mailNickname: "provision.ondemand" });
    admin.addMember(assignedGroup, user.id);

    const graphMark = w.graphEmu.requests.length;
    const result = await provisionOne(deps(), user.userPrincipalName);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ["Test connection", "Success"],
      ["Import user", "Success"],
      ["Determine scope", "Success"],
      ["Match user", "Success"],
      ["Perform action", "Success"],
    ]);
    // The user's groups come from one memberOf read: a provisioned group's members are read only by the scope
    // decision (assigned groups), never a second time to find the user's groups.
    const graphPaths = w.graphEmu.requests.slice(graphMark).map((r) => r.path);
    expect(graphPaths.filter((p) => p.includes("/memberOf"))).toHaveLength(1);
    const linkedGroups = w.scimSrv.listGroups().flatMap((g) => (g.externalId ? [g.externalId] : []));
    const listed = graphPaths.filter((p) => linkedGroups.some((id) => p.startsWith(`/v1.0/groups/${id}/members`)));
    expect(listed.length).toBeGreaterThan(0);
    expect(new Set(listed).size).toBe(listed.length);
    const scopeStep = result.steps.find((s) => s.name === "Determine scope")!;
    // The deciding rule: membership of the assigned group, named.
    expect(scopeStep.rules?.[0]).toMatchObject({ step: "groupMembership", outcome: "pass" });
    expect(scopeStep.rules?.[0]?.message).toContain(targetGroup.displayName);
    expect(result.steps.at(-1)!.requestIds?.length).toBeGreaterThan(0);
    expect(result.groups).toEqual([
      { sourceId: assignedGroup, displayName: targetGroup.displayName, status: "Success" },
    ]);
    const created = w.scimSrv.listUsers().find((u) => u.userName === user.userPrincipalName)!;
    const members = w.scimSrv
      .listGroups()
      .find((g) => g.id === targetGroup.id)!
      .members.map((m) => m.value);
    expect(members).toContain(created.id);

    // The next cycle agrees: nothing left to add.
    const mark = w.scimSrv.requests.length;
    const next = await w.run();
    expect(next.summary.counts.memberships.added).toBe(0);
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
  });
});
