import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listLogEntries, loadMembershipEscrow } from "../../../electron/engine/db";
import { actualState, startBetterAuthWorld, type BetterAuthWorld } from "./world";

const LIMIT_DETAIL = "Groups cannot contain more than 1000 direct members";
const LIMIT_ADVICE = "The target allows at most 1000 members per group: split the group in Entra or narrow the scope.";

/**
 * Better Auth refuses groups of more than 1,000 direct members (400 invalidValue). An "All Staff" group just over the
 * limit: every member the target accepts is in, the rest is logged with the server's words and advice naming the
 * limit, escrowed, and not re-sent before the back-off is due.
 */
describe("a group over Better Auth's member limit", () => {
  let w: BetterAuthWorld;
  let allStaff: { id: string; members: string[] };
  const staffInTarget = async () =>
    (await actualState(w.target)).groups.find((g) => g.externalId === allStaff.id)!.members;
  const groupPatches = (from: number) =>
    w.writes(from).filter((r) => r.method === "PATCH" && r.path.startsWith("/Groups/"));

  beforeAll(async () => {
    w = await startBetterAuthWorld({ dialect: "entra", users: 1060, seed: 3 });
    const admin = w.graphEmu.admin;
    const group = admin.createGroup({ displayName: "All Staff" });
    const enabled = admin.listUsers().filter((u) => u.accountEnabled);
    for (const u of enabled) admin.addMember(group.id, u.id);
    admin.assign(group.id);
    allStaff = { id: group.id, members: enabled.map((u) => u.userPrincipalName) };
    expect(allStaff.members.length).toBeGreaterThan(1000);
  });
  afterAll(() => w?.close());

  it("every member the target accepts gets in; each refused one is logged with the server's words and the limit", async () => {
    const mark = w.target.requests.length;
    const { summary } = await w.run();
    expect(summary.error).toBeNull();
    expect(summary.outcome).toBe("completedWithFailures");
    const inTarget = await staffInTarget();
    expect(inTarget).toHaveLength(1000);
    for (const upn of inTarget) expect(allStaff.members).toContain(upn);

    const refusedCount = allStaff.members.length - 1000;
    const failures = listLogEntries(w.db, w.profile.name, { cycleId: summary.id, limit: 5000 }).filter(
      (e) => e.status === "Failure",
    );
    expect(failures).toHaveLength(1);
    const [entry] = failures;
    expect(entry).toMatchObject({ objectType: "group", sourceId: allStaff.id, errorCode: "GroupMemberLimit" });
    expect(entry!.message).toContain(`It said: "${LIMIT_DETAIL}"`);
    expect(entry!.recommendation).toBe(LIMIT_ADVICE);
    const refused = entry!.modified[0]!.new as string[];
    expect(refused).toHaveLength(refusedCount);
    expect(new Set([...refused, ...inTarget]).size).toBe(allStaff.members.length);
    expect(loadMembershipEscrow(w.db, w.profile.name).get(allStaff.id)?.size).toBe(refusedCount);

    // 10 accepted batches of 100; the 11th is refused and halved down to one member (7 more refusals), after
    // which the group is known to be full and the remaining adds are not sent.
    const patches = groupPatches(mark).filter((r) => r.status === 400);
    expect(patches.length).toBeLessThanOrEqual(Math.ceil(Math.log2(100)) + 1);
    // Better Auth takes ~50 ms per user created on a shared machine: this first cycle creates just over 1,000.
  }, 240_000);

  it("the next no-change cycle sends no refused request again and shows the known failure with its cause", async () => {
    const mark = w.target.requests.length;
    const { summary } = await w.run();
    expect(summary.outcome).toBe("succeeded");
    expect(w.writes(mark)).toEqual([]);
    const held = listLogEntries(w.db, w.profile.name, { cycleId: summary.id, limit: 100 }).find(
      (e) => e.sourceId === allStaff.id,
    );
    expect(held).toMatchObject({ status: "Skipped", errorCode: "GroupMemberLimit", recommendation: LIMIT_ADVICE });
    expect(held!.message).toContain(LIMIT_DETAIL);
  });

  it("once the back-off is due, finding the group still full costs a handful of requests", async () => {
    const due = [...loadMembershipEscrow(w.db, w.profile.name).get(allStaff.id)!.values()][0]!.retryAfter;
    const mark = w.target.requests.length;
    const { summary } = await w.run({ now: () => new Date(Date.parse(due) + 1000) });
    expect(summary.counts.memberships.added).toBe(0);
    const patches = groupPatches(mark);
    expect(patches.every((r) => r.status === 400)).toBe(true);
    expect(patches.length).toBeLessThanOrEqual(Math.ceil(Math.log2(100)) + 1);
  });

  it("splitting the group in Entra makes room: the held members go in at once, without waiting for the back-off", async () => {
    const admin = w.graphEmu.admin;
    const held = [...loadMembershipEscrow(w.db, w.profile.name).get(allStaff.id)!.keys()];
    const inTarget = new Set(await staffInTarget());
    const leaving = admin
      .getGroup(allStaff.id)!
      .members.filter((id) => inTarget.has(admin.getUser(id)!.userPrincipalName))
      .slice(0, held.length + 10);
    for (const id of leaving) admin.removeMember(allStaff.id, id);

    const { summary } = await w.run();
    expect(summary.outcome).toBe("succeeded");
    const expected = admin
      .getGroup(allStaff.id)!
      .members.map((id) => admin.getUser(id)!.userPrincipalName)
      .sort();
    expect(await staffInTarget()).toEqual(expected);
    expect(loadMembershipEscrow(w.db, w.profile.name).get(allStaff.id)).toBeUndefined();
  });
});
