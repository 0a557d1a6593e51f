import { describe, expect, it } from "vitest";
import type { CycleSummary } from "../../shared/ipc/model";
import { durationTicks, historyOf, stacked } from "../../renderer/src/sections/history/cycle-history";

const zero = { create: 0, update: 0, disable: 0, delete: 0, stagedDelete: 0, skipped: 0, failed: 0 };
function cycle(id: number, over: Partial<CycleSummary> = {}, users = {}, groups = {}): CycleSummary {
  return {
    id,
    kind: "incremental",
    dryRun: false,
    startedAt: `2026-12-01T10:${String(id).padStart(2, "0")}:00.000Z`,
    endedAt: null,
    outcome: "succeeded",
    counts: { users: { ...zero, ...users }, groups: { ...zero, ...groups }, memberships: { added: 0, removed: 0 } },
    requests: { graph: 0, target: 0 },
    durationMs: 1000,
    error: null,
    ...over,
  };
}

describe("the Dashboard's cycle history", () => {
  it("charts the last 30 real cycles oldest first, users and groups together, without dry runs or held deletions", () => {
    const cycles = [
      cycle(40, { dryRun: true }, { create: 99 }),
      cycle(39, { outcome: "running", durationMs: null }),
      cycle(38, { outcome: "stoppedByDeletionThreshold" }, { stagedDelete: 12 }),
      cycle(37, { outcome: "completedWithFailures", durationMs: 4200 }, { update: 2, failed: 1 }, { failed: 2 }),
      ...Array.from({ length: 33 }, (_, i) => cycle(36 - i, {}, { create: 1 }, { create: 1, delete: 1 })),
    ];
    const { points, totals, longestMs } = historyOf(cycles);
    expect(points).toHaveLength(30);
    expect(points.map((p) => p.id)).toEqual(Array.from({ length: 30 }, (_, i) => 9 + i));
    expect(points.at(-1)).toMatchObject({ id: 38, changes: { create: 0, update: 0, disable: 0, delete: 0 } });
    expect(points.at(-2)).toMatchObject({ id: 37, failed: 3, durationMs: 4200, changes: { update: 2 } });
    expect(points[0]!.changes).toEqual({ create: 2, update: 0, disable: 0, delete: 1 });
    expect(totals).toEqual({ create: 56, update: 2, disable: 0, delete: 28, failed: 3, cyclesWithFailures: 1 });
    expect(longestMs).toBe(4200);
  });

  it("stacks each bar: every series is its action plus those drawn below it", () => {
    const { points } = historyOf([cycle(1, {}, { create: 3, update: 2 }, { disable: 1, delete: 4 })]);
    expect(stacked(points)).toEqual([[10], [7], [5], [4]]);
  });
});

describe("durationTicks", () => {
  it("labels every tick in the unit of the largest: ms, seconds, minutes", () => {
    expect(durationTicks([0, 200, 400])).toEqual(["0 ms", "200 ms", "400 ms"]);
    expect(durationTicks([0, 500, 1000, 1500])).toEqual(["0 s", "0.5 s", "1 s", "1.5 s"]);
    expect(durationTicks([0, 30_000, 60_000])).toEqual(["0 s", "30 s", "60 s"]);
    expect(durationTicks([0, 1_800_000, 3_600_000])).toEqual(["0 min", "30 min", "60 min"]);
    expect(durationTicks([0, 105_000])).toEqual(["0 min", "1.75 min"]);
  });
});
