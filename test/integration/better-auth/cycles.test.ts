import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../electron/engine/db";
import { expectedScope } from "../../engine/cycle/harness";
import { actualState, expectedState, startBetterAuthWorld, type BetterAuthWorld } from "./world";

/** ProvisionDesk against a SCIM server nobody on the team wrote: Better Auth's SCIM plugin, generic preset. */
describe.each(["entra", "rfc7644"] as const)("Better Auth's SCIM server, %s request style", (dialect) => {
  let w: BetterAuthWorld;
  let mark = 0;
  const cycle = async () => {
    mark = w.target.requests.length;
    const result = await w.run();
    expect(result.summary.error).toBeNull();
    expect(result.summary.outcome).toBe("succeeded");
    return result;
  };
  const exact = async () => {
    const { users, groups } = await actualState(w.target);
    const expected = expectedState(w.graphEmu);
    expect(users).toEqual(expected.users);
    expect(groups).toEqual(expected.groups);
  };
  /** An enabled, provisioned user that is a member of an assigned group and not assigned directly. */
  const groupMember = (exclude: string[] = []) => {
    const admin = w.graphEmu.admin;
    const direct = new Set(admin.listAssignments().map((a) => a.principalId));
    for (const g of expectedScope(w.graphEmu).groupIds)
      for (const m of admin.getGroup(g)!.members) {
        const u = admin.getUser(m);
        if (u?.accountEnabled && !direct.has(m) && !exclude.includes(m)) return { user: u, groupId: g };
      }
    throw new Error("no suitable member");
  };

  beforeAll(async () => {
    w = await startBetterAuthWorld({ dialect, users: 60, seed: 17 });
  });
  afterAll(() => w?.close());

  it("a first cycle leaves the exact state", async () => {
    const { summary } = await cycle();
    expect(summary.counts.users.create).toBeGreaterThan(10);
    expect(summary.counts.memberships.added).toBeGreaterThan(10);
    await exact();
  });

  it("a no-change cycle sends no write", async () => {
    await cycle();
    expect(w.writes(mark)).toEqual([]);
  });

  it("a rename, a disable, a membership add and remove and a UPN change leave the exact state", async () => {
    const admin = w.graphEmu.admin;
    const renamed = groupMember();
    const disabled = groupMember([renamed.user.id]);
    const moved = groupMember([renamed.user.id, disabled.user.id]);
    const upn = groupMember([renamed.user.id, disabled.user.id, moved.user.id]);
    admin.updateUser(renamed.user.id, { displayName: "Renée Fontaine-Żółć" });
    admin.disableUser(disabled.user.id);
    const other = [...expectedScope(w.graphEmu).groupIds].find(
      (g) => !admin.getGroup(g)!.members.includes(moved.user.id),
    )!;
    admin.addMember(other, moved.user.id);
    admin.removeMember(moved.groupId, moved.user.id);
    const newUpn = `renamed.${upn.user.userPrincipalName}`;
    admin.updateUser(upn.user.id, { userPrincipalName: newUpn });

    const { summary } = await cycle();
    expect(summary.kind).toBe("incremental");
    expect(summary.counts.users).toMatchObject({ update: 2, disable: 1, failed: 0 });
    await exact();
    expect((await actualState(w.target)).disabled).toContain(disabled.user.userPrincipalName);
    // Nothing is re-sent afterwards.
    await cycle();
    expect(w.writes(mark)).toEqual([]);
  });

  it("adoption from an empty data folder sends no write and leaves the exact state", async () => {
    mark = w.target.requests.length;
    const { summary } = await w.run({ db: openDatabase(":memory:") });
    expect(summary.outcome).toBe("succeeded");
    expect(summary.kind).toBe("initial");
    expect(w.writes(mark)).toEqual([]);
    const memberReads = w.target.requests.slice(mark).filter((r) => r.path.startsWith("/Groups/"));
    expect(memberReads).toHaveLength(expectedState(w.graphEmu).groups.length);
    await exact();
  });
});
