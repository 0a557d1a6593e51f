import { describe, expect, it } from "vitest";
import { startEmulatorHost } from "./emulators";
import { startBenchWorld, startFloorWorld } from "./world";

// The benchmark's comparison is only fair if both worlds do the same work in the request patterns it claims.
// Counts only: timings belong to `npm run bench`, never to tests.
describe("benchmark worlds", () => {
  it("the baseline looks every object up with a filtered GET and sends one member per PATCH; ProvisionDesk reads the target once", async () => {
    const ours = await startBenchWorld({ users: 40, seed: 11, entraStyle: false, latencyMs: 0 });
    const base = await startBenchWorld({ users: 40, seed: 11, entraStyle: true, latencyMs: 0 });
    try {
      const [o, b] = [await ours.cycle(), await base.cycle()];
      const created = (m: typeof o) => m.summary.counts.users.create + m.summary.counts.groups.create;
      const members = o.summary.counts.memberships.added;
      expect(members).toBeGreaterThan(5);
      expect(b.summary.counts).toEqual(o.summary.counts);
      expect(b.target.lookups).toBe(created(b));
      expect(b.target.writes).toBe(created(b) + members);
      expect(o.target.lookups).toBe(0);
      expect(o.target.writes).toBeLessThan(created(o) + members);
      expect(o.objects).toBe(created(o) + members);

      // Same edits in both tenants; afterwards both targets hold exactly the same.
      // A second round (a repeated measurement) changes as much again.
      for (const w of [ours, base]) {
        expect((await w.cycle()).target.writes).toBe(0);
        for (const round of [0, 1]) {
          const edits = await w.edit(4, round);
          expect(edits.attributeEdits).toBe(4);
          expect(edits.membersAdded).toBeGreaterThan(0);
          expect(edits.membersRemoved).toBeGreaterThan(0);
          const after = await w.cycle();
          expect(after.summary.counts.users.update).toBe(4);
          expect(after.summary.counts.memberships).toEqual({
            added: edits.membersAdded,
            removed: edits.membersRemoved,
          });
        }
      }
      const [a, c] = [await ours.targetState(), await base.targetState()];
      expect(a.users).toBeGreaterThan(30);
      expect(c.fingerprint).toBe(a.fingerprint);
    } finally {
      await Promise.all([ours.close(), base.close()]);
    }
  });

  it("under --target-rps the target refuses a burst with 429, and ProvisionDesk and the floor, paced at its limit, get none", async () => {
    const limited = { users: 40, seed: 11, entraStyle: false, latencyMs: 0, targetRps: 20 };
    const host = await startEmulatorHost(limited);
    try {
      const mark = await host.mark();
      const burst = Array.from({ length: 30 }, () =>
        fetch(`${host.scim.tenantUrl}/ServiceProviderConfig`, {
          headers: { authorization: `Bearer ${host.scim.token}` },
        }),
      );
      const statuses = (await Promise.all(burst)).map((r) => r.status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect((await host.since(mark)).target.throttled).toBe(statuses.filter((s) => s === 429).length);
    } finally {
      await host.close();
    }
    // More requests than the target's bucket holds: a client that did not pace would be refused some.
    for (const world of [await startBenchWorld(limited), await startFloorWorld(limited)]) {
      try {
        const first = await world.cycle();
        expect(first.target.total).toBeGreaterThan(limited.targetRps * 2);
        expect(first.target.throttled).toBe(0);
      } finally {
        await world.close();
      }
    }
  });
});
