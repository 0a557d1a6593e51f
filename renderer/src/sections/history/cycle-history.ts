import type { CycleSummary } from "../../../../shared/ipc/model";

/** How many provisioning cycles the dashboard charts. */
export const HISTORY_LENGTH = 30;

export const ACTIONS = ["create", "update", "disable", "delete"] as const;
export type ChartAction = (typeof ACTIONS)[number];

export const actionLabel: Record<ChartAction, string> = {
  create: "Created",
  update: "Updated",
  disable: "Disabled",
  delete: "Deleted",
};

/** One charted cycle: changes written to the target (users and groups together), failures and duration. */
export interface HistoryPoint {
  id: number;
  startedAt: string;
  outcome: CycleSummary["outcome"];
  changes: Record<ChartAction, number>;
  failed: number;
  durationMs: number;
}

export interface History {
  /** Oldest first, as the charts read left to right. */
  points: HistoryPoint[];
  totals: Record<ChartAction, number> & { failed: number; cyclesWithFailures: number };
  longestMs: number;
}

/**
 * The last finished provisioning cycles. Dry runs are left out: they wrote nothing, and their would-be changes would
 * read as changes made. Held deletions (stagedDelete) were not made either.
 */
export function historyOf(cycles: readonly CycleSummary[]): History {
  const points = cycles
    .filter((c) => !c.dryRun && c.outcome !== "running")
    .sort((a, b) => b.id - a.id)
    .slice(0, HISTORY_LENGTH)
    .reverse()
    .map((c): HistoryPoint => {
      const { users, groups } = c.counts;
      return {
        id: c.id,
        startedAt: c.startedAt,
        outcome: c.outcome,
        changes: {
          create: users.create + groups.create,
          update: users.update + groups.update,
          disable: users.disable + groups.disable,
          delete: users.delete + groups.delete,
        },
        failed: users.failed + groups.failed,
        durationMs: c.durationMs ?? 0,
      };
    });
  const sum = (pick: (p: HistoryPoint) => number) => points.reduce((total, p) => total + pick(p), 0);
  return {
    points,
    totals: {
      create: sum((p) => p.changes.create),
      update: sum((p) => p.changes.update),
      disable: sum((p) => p.changes.disable),
      delete: sum((p) => p.changes.delete),
      failed: sum((p) => p.failed),
      cyclesWithFailures: points.filter((p) => p.failed > 0).length,
    },
    longestMs: Math.max(0, ...points.map((p) => p.durationMs)),
  };
}

/**
 * Stacked bars drawn as overlapping bars: series k is the sum of actions k..end, drawn tallest first, so each action
 * shows as its own band of the bar.
 */
export function stacked(points: readonly HistoryPoint[]): number[][] {
  return ACTIONS.map((_, k) => points.map((p) => ACTIONS.slice(k).reduce((total, a) => total + p.changes[a], 0)));
}

/** Steps the duration axis may use, in ms: round numbers of milliseconds, seconds, minutes and hours. */
export const DURATION_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
  900_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000,
];

/** The duration axis' labels, all in the unit of the largest ("0 s", "0.5 s", "1.5 s"), so they read as one scale. */
export function durationTicks(ticks: readonly number[]): string[] {
  const largest = Math.max(0, ...ticks);
  const [unit, ms] = largest < 1_000 ? ["ms", 1] : largest < 90_000 ? ["s", 1_000] : ["min", 60_000];
  return ticks.map((t) => `${Number((t / ms).toFixed(2))} ${unit}`);
}
