import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionGroup } from "../../../electron/engine/cycle";
import { startWorld, type World } from "./harness";

/** The target group's member ids, as the SCIM emulator holds them. */
const targetMembers = (w: World, displayName: string) =>
  w.scimSrv
    .listGroups()
    .find((g) => g.displayName === displayName)
    ?.members.map((m) => m.value)
    .sort();
const targetIdOf = (w: World, userName: string) => w.scimSrv.listUsers().find((u) => u.userName === userName)?.id;

describe("provision on demand for a group", () => {
  let w: World;
  const deps = () => ({ db: w.db, profile: w.profile, rules: w.rules, graph: w.graph, scim: w.scim });
  let team: { id: string; upns: string[] };
  beforeAll(async () => {
    w = await startWorld({ users: 30, seed: 5 });
    const admin = w.graphEmu.admin;
    // Seven users, added in an order that is not their names' order, and a nested group.
    const users = ["Gus", "Ann", "Fay", "Bob", "Eve", "Cid", "Dan"].map((name) =>
      admin.addUser({ displayName: `Pod ${name}`, mailNickname: `pod.${name.toLowerCase()}` }),
    );
    const nested = admin.createGroup({ displayName: "POD Nested" });
    const group = admin.createGroup({ displayName: "POD Team", members: [...users.map((u) => u.id), nested.id] });
    admin.assign(group.id);
    const byName = [...users].sort((a, b) => a.displayName.localeCompare(b.displayName));
    team = { id: group.id, upns: byName.map((u) => u.userPrincipalName) };
  });
  afterAll(() => w.close());

  it("provisions the group with 5 of its 7 members, says which and why, and sends exactly those", async () => {
    const result = await provisionGroup(deps(), "POD Team");
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ["Test connection", "Success"],
      ["Import group", "Success"],
      ["Determine scope", "Success"],
      ["Match group", "Success"],
      ["Perform action", "Success"],
    ]);
    expect(result.group).toEqual({ sourceId: team.id, displayName: "POD Team" });
    expect(result.choice).toMatchObject({ userMembers: 7, otherMembers: 1, limit: 5 });
    expect(result.choice!.reason).toMatch(/7 user members; provision on demand takes at most 5/);
    expect(result.choice!.reason).toContain("Pod Ann, Pod Bob, Pod Cid, Pod Dan, Pod Eve");
    expect(result.choice!.reason).toMatch(/1 nested group or other object is left out/);
    expect(result.action?.action).toBe("Create");
    expect(result.members.map((m) => [m.displayName, m.membership])).toEqual(
      ["Ann", "Bob", "Cid", "Dan", "Eve"].map((n) => [`Pod ${n}`, "added"]),
    );
    for (const member of result.members)
      expect(member.steps.map((s) => [s.name, s.status])).toEqual([
        ["Import user", "Success"],
        ["Determine scope", "Success"],
        ["Match user", "Success"],
        ["Perform action", "Success"],
      ]);
    const chosen = team.upns.slice(0, 5).map((upn) => targetIdOf(w, upn)!);
    expect(targetMembers(w, "POD Team")).toEqual([...chosen].sort());
    expect(w.scimSrv.listUsers().map((u) => u.userName)).toEqual(expect.arrayContaining(team.upns.slice(0, 5)));
    expect(w.scimSrv.listUsers()).toHaveLength(5);
    // The group's step quotes its requests: the POST and the members' PATCH.
    expect(result.steps.at(-1)!.requestIds!.length).toBeGreaterThanOrEqual(2);
    expect(result.steps.at(-1)!.detail).toMatch(/Members: 5 added/);
  });

  it("again: the members not in the target group yet come first, and members it holds already stay", async () => {
    // A member someone added in the target app itself: provision on demand never removes it.
    const headers = { Authorization: `Bearer ${w.scimSrv.token}`, "Content-Type": "application/scim+json" };
    const foreign = (await (
      await fetch(`${w.scimSrv.tenantUrl}/Users`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
          userName: "outsider@example.com",
          active: true,
        }),
      })
    ).json()) as { id: string };
    const groupId = w.scimSrv.listGroups().find((g) => g.displayName === "POD Team")!.id;
    const patched = await fetch(`${w.scimSrv.tenantUrl}/Groups/${groupId}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "Add", path: "members", value: [{ value: foreign.id }] }],
      }),
    });
    expect(patched.ok).toBe(true);

    const again = await provisionGroup(deps(), team.id);
    expect(again.members.map((m) => [m.displayName, m.membership])).toEqual([
      ["Pod Fay", "added"],
      ["Pod Gus", "added"],
      ["Pod Ann", "already"],
      ["Pod Bob", "already"],
      ["Pod Cid", "already"],
    ]);
    expect(again.action).toBeNull();
    const all = team.upns.map((upn) => targetIdOf(w, upn)!);
    expect(targetMembers(w, "POD Team")).toEqual([...all, foreign.id].sort());
  });

  it("provisions only the members picked, by UPN or id", async () => {
    const result = await provisionGroup(deps(), "POD Team", [team.upns[6]!]);
    expect(result.choice!.reason).toBe(
      "The members you picked: Pod Gus. 1 nested group or other object is left out: provision on demand takes users only, as Entra ID does.",
    );
    expect(result.members.map((m) => [m.displayName, m.membership])).toEqual([["Pod Gus", "already"]]);

    // A disabled member is never created, so it is not added (and it says why).
    const disabled = w.graphEmu.admin.addUser({
      displayName: "Pod Zed",
      mailNickname: "pod.zed",
      accountEnabled: false,
    });
    w.graphEmu.admin.addMember(team.id, disabled.id);
    const off = await provisionGroup(deps(), team.id, [disabled.id]);
    expect(off.members).toMatchObject([
      { displayName: "Pod Zed", membership: "notAdded", membershipDetail: "Not added: account disabled in Entra." },
    ]);
    expect(off.members[0]!.steps.at(-1)).toMatchObject({ name: "Perform action", status: "Skipped" });
    expect(w.scimSrv.listUsers().find((u) => u.userName === disabled.userPrincipalName)).toBeUndefined();
    expect(off.steps.at(-1)).toMatchObject({ name: "Perform action", status: "Skipped" });

    const stranger = w.graphEmu.admin.listUsers().find((u) => !team.upns.includes(u.userPrincipalName))!;
    const wrong = await provisionGroup(deps(), "POD Team", [stranger.userPrincipalName]);
    expect(wrong.failureKind).toBe("notFound");
    expect(wrong.steps.at(-1)).toMatchObject({ name: "Import group", status: "Failure" });
    expect(wrong.steps.at(-1)!.detail).toMatch(/is not a user who is a direct member of the group/);
  });

  it("a member left out joins the target group, named, when provisioned on its own (no cycle has run)", async () => {
    const { provisionOne } = await import("../../../electron/engine/cycle");
    const gus = team.upns[6]!;
    const fresh = w.graphEmu.admin.addUser({ displayName: "Pod Hal", mailNickname: "pod.hal" });
    w.graphEmu.admin.addMember(team.id, fresh.id);
    const result = await provisionOne(deps(), fresh.userPrincipalName);
    expect(result.groups).toEqual([{ sourceId: team.id, displayName: "POD Team", status: "Success" }]);
    expect(result.steps.at(-1)!.detail).toMatch(/Added to POD Team\.$/);
    expect(targetMembers(w, "POD Team")).toContain(targetIdOf(w, fresh.userPrincipalName));
    expect(targetMembers(w, "POD Team")).toContain(targetIdOf(w, gus));
  });

  it("says so for an unknown group, a name two groups carry, a group out of scope and group provisioning off", async () => {
    const admin = w.graphEmu.admin;
    const before = w.scimSrv.listGroups().length;

    const unknown = await provisionGroup(deps(), "No Such Group");
    expect(unknown.failureKind).toBe("notFound");
    expect(unknown.steps.at(-1)).toMatchObject({ name: "Import group", status: "Failure" });
    expect(unknown.steps.at(-1)!.detail).toMatch(/Entra ID has no group "No Such Group"/);

    const a = admin.createGroup({ displayName: "Twin" });
    const b = admin.createGroup({ displayName: "Twin" });
    const twins = await provisionGroup(deps(), "Twin");
    expect(twins.failureKind).toBe("notFound");
    expect(twins.steps.at(-1)!.detail).toContain('2 groups in Entra ID are named "Twin"');
    expect(twins.steps.at(-1)!.detail).toContain(a.id);
    expect(twins.steps.at(-1)!.detail).toContain(b.id);

    const outside = await provisionGroup(deps(), b.id);
    expect(outside.failureKind).toBeNull();
    expect(outside.steps.map((s) => [s.name, s.status])).toEqual([
      ["Test connection", "Success"],
      ["Import group", "Success"],
      ["Determine scope", "Skipped"],
    ]);
    expect(outside.steps.at(-1)!.rules).toEqual([
      { step: "assignment", outcome: "fail", message: "Not assigned to the app." },
    ]);

    const off = await provisionGroup(
      { ...deps(), profile: { ...w.profile, target: { ...w.profile.target, provisionGroups: false } } },
      "POD Team",
    );
    expect(off.steps.at(-1)).toMatchObject({ name: "Determine scope", status: "Skipped" });
    expect(off.steps.at(-1)!.detail).toMatch(/^Group provisioning is off for this profile/);
    expect(off.steps.at(-1)!.detail).toMatch(/Nothing was sent to the target\.$/);
    expect(off.members).toEqual([]);
    expect(w.scimSrv.listGroups()).toHaveLength(before);
  });
  it("the next cycle agrees: the same target group, the members Entra has added, the outsider kept", async () => {
    const before = w.scimSrv.listGroups().find((g) => g.displayName === "POD Team")!;
    const outsider = w.scimSrv.listUsers().find((u) => u.userName === "outsider@example.com")!;
    const result = await w.run();
    expect(result.summary.outcome).toBe("succeeded");
    const teams = w.scimSrv.listGroups().filter((g) => g.displayName === "POD Team");
    expect(teams.map((g) => g.id)).toEqual([before.id]);
    // The enabled users among its direct members (Pod Zed is disabled, POD Nested a group).
    const members = w.graphEmu.admin.getGroup(team.id)!.members.flatMap((id) => {
      const user = w.graphEmu.admin.getUser(id);
      return user?.accountEnabled ? [targetIdOf(w, user.userPrincipalName)!] : [];
    });
    expect(targetMembers(w, "POD Team")).toEqual([...members, outsider.id].sort());
  });
});
