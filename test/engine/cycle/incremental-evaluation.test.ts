import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listLogEntries } from "../../../electron/engine/db";
import { defaultRules } from "../../../electron/engine/rules";
import { SSO, startWorld, targetWrites, type World } from "./harness";

/** An incremental cycle costs what changed: it evaluates the changed objects, not the whole mirror. */
describe("incremental cycles evaluate only what changed", () => {
  let w: World;
  const enabledMembers = () => {
    const admin = w.graphEmu.admin;
    const inTarget = new Set(w.scimSrv.listUsers().map((u) => u.userName));
    return admin.listUsers().filter((u) => u.accountEnabled && inTarget.has(u.userPrincipalName));
  };

  beforeAll(async () => {
    w = await startWorld({ users: 150, seed: 5 });
    const first = await w.run();
    expect(first.summary.outcome).toBe("succeeded");
    expect(first.evaluation?.reason).toBe("full");
  });
  afterAll(() => w.close());

  it("a cycle with no change evaluates nothing and writes nothing", async () => {
    const mark = w.scimSrv.requests.length;
    const { summary, evaluation } = await w.run();
    expect(summary.kind).toBe("incremental");
    expect(evaluation).toEqual({ reason: "changes", users: 0, groups: 0, memberships: 0, members: 0 });
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
  });

  it("k changed users are k evaluations, plus the one group whose members changed, of which one member", async () => {
    const users = enabledMembers().slice(0, 3);
    for (const [i, u] of users.entries()) w.graphEmu.admin.updateUser(u.id, { surname: `Changed${i}` });
    const group = w.graphEmu.admin.listGroups().find((g) => !g.members.includes(users[0]!.id))!;
    w.graphEmu.admin.addMember(group.id, users[0]!.id);
    expect(group.members.length).toBeGreaterThan(1);
    const mark = w.scimSrv.requests.length;
    const { evaluation } = await w.run();
    // Only the member Entra added is compared with what the target holds, not the group's others.
    expect(evaluation).toEqual({ reason: "changes", users: 3, groups: 1, memberships: 1, members: 1 });
    // The evaluation found the edits: one PATCH per changed user (and the membership when the group is provisioned).
    const userPatches = targetWrites(w.scimSrv, mark).filter((r) => r.path.startsWith("/Users/"));
    expect(userPatches).toHaveLength(3);
  });

  it("a member leaving a group is one comparison, and one PATCH removes it", async () => {
    const admin = w.graphEmu.admin;
    const inTarget = new Set(w.scimSrv.listUsers().map((u) => u.userName));
    const group = admin.listGroups().find((g) => g.members.length > 2)!;
    const leaving = admin.listUsers().find((u) => group.members.includes(u.id) && inTarget.has(u.userPrincipalName))!;
    admin.removeMember(group.id, leaving.id);
    const mark = w.scimSrv.requests.length;
    const { evaluation } = await w.run();
    expect(evaluation).toMatchObject({ memberships: 1, members: 1 });
    const removes = targetWrites(w.scimSrv, mark).filter((r) => r.path.startsWith("/Groups/"));
    expect(removes).toHaveLength(1);
    expect(JSON.stringify(removes[0]!.body)).toMatch(/"op":"Remove"/);
  });

  it("a user newly assigned to the app is evaluated (scope input), and created", async () => {
    const admin = w.graphEmu.admin;
    const inTarget = new Set(w.scimSrv.listUsers().map((u) => u.userName));
    const outside = admin.listUsers().find((u) => u.accountEnabled && !inTarget.has(u.userPrincipalName))!;
    admin.assign(outside.id);
    const { evaluation, summary } = await w.run();
    // Its memberships are compared in its own groups only (found through the mirror's members index), not in all.
    const itsGroups = admin.listGroups().filter((g) => g.members.includes(outside.id)).length;
    expect(itsGroups).toBeLessThan(admin.listGroups().length);
    expect(evaluation).toMatchObject({ reason: "changes", users: 1, groups: 0, memberships: itsGroups });
    expect(summary.counts.users.create).toBe(1);
    expect(w.scimSrv.listUsers().some((u) => u.userName === outside.userPrincipalName)).toBe(true);
  });

  it("a user deleted for good leaves its own groups in the target, and only those are compared", async () => {
    const admin = w.graphEmu.admin;
    const groups = admin.listGroups().filter((g) => g.members.length > 1);
    const gone = enabledMembers().find((u) => groups.some((g) => g.members.includes(u.id)))!;
    const itsGroups = admin.listGroups().filter((g) => g.members.includes(gone.id));
    admin.purgeUser(gone.id);
    const mark = w.scimSrv.requests.length;
    const { evaluation, summary } = await w.run();
    expect(summary.counts.users.delete).toBe(1);
    expect(evaluation).toMatchObject({ reason: "changes", users: 1, memberships: itsGroups.length });
    expect(evaluation!.memberships).toBeLessThan(admin.listGroups().length);
    // Removed from each of its groups (one PATCH per group) before the user itself is deleted.
    const writes = targetWrites(w.scimSrv, mark);
    const targetIds = new Map(w.scimSrv.listGroups().map((g) => [g.displayName, g.id]));
    expect(
      writes
        .filter((r) => r.method === "PATCH")
        .map((r) => r.path)
        .sort(),
    ).toEqual(itsGroups.map((g) => `/Groups/${targetIds.get(g.displayName)}`).sort());
    expect(writes.at(-1)!.method).toBe("DELETE");
  });

  it("changed rules re-evaluate every object, and the cycle's log says why", async () => {
    const rules = defaultRules("splashtop", SSO);
    // The family name is now set only on create: no value changes, but every object's evaluation depends on it.
    rules.users.mappings = rules.users.mappings.map((m) =>
      m.target === "name.familyName" ? { ...m, apply: "OnCreate" as const } : m,
    );
    const { runCycle } = await import("../../../electron/engine/cycle");
    const run = () =>
      runCycle(
        { db: w.db, profile: w.profile, rules, graph: w.graph, scim: w.scim },
        { dryRun: false, full: false, allowDeletes: false },
      );
    const changed = await run();
    expect(changed.evaluation?.reason).toBe("rulesChanged");
    expect(changed.evaluation!.users).toBeGreaterThanOrEqual(w.scimSrv.listUsers().length);
    const entries = listLogEntries(w.db, w.profile.name, { cycleId: changed.summary.id, limit: 100 });
    expect(entries.some((e) => e.objectType === "cycle" && /evaluated again/.test(e.message ?? ""))).toBe(true);
    // The next cycle with the same rules is incremental again.
    expect((await run()).evaluation).toEqual({ reason: "changes", users: 0, groups: 0, memberships: 0, members: 0 });
  });
});
