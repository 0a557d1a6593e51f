import { describe, expect, it } from "vitest";
import { startBenchWorld } from "./world";

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
      for (const w of [ours, base]) {
        expect((await w.cycle()).target.writes).toBe(0);
        const edits = await w.edit(4);
        expect(edits.attributeEdits).toBe(4);
        expect(edits.membersAdded + edits.membersRemoved).toBeGreaterThan(0);
        const after = await w.cycle();
        expect(after.summary.counts.users.update).toBe(4);
        expect(after.summary.counts.memberships).toEqual({ added: edits.membersAdded, removed: edits.membersRemoved });
      }
      const [a, c] = [await ours.targetState(), await base.targetState()];
      expect(a.users).toBeGreaterThan(30);
      expect(c.fingerprint).toBe(a.fingerprint);
    } finally {
      await Promise.all([ours.close(), base.close()]);
    }
  });
});
