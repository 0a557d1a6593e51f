import type { Database } from "better-sqlite3";
import type { CycleOutcome, CycleSummary } from "../../../shared/ipc/model";
import { parseJson } from "./json";

interface Row {
  id: number;
  kind: CycleSummary["kind"];
  dry_run: number;
  started_at: string;
  ended_at: string | null;
  outcome: CycleOutcome;
  counts: string;
  requests: string;
  duration_ms: number | null;
  error: string | null;
}

export const emptyCounts = (): CycleSummary["counts"] => {
  const c = () => ({ create: 0, update: 0, disable: 0, delete: 0, stagedDelete: 0, skipped: 0, failed: 0 });
  return { users: c(), groups: c(), memberships: { added: 0, removed: 0 } };
};

const toSummary = (r: Row): CycleSummary => ({
  id: r.id,
  kind: r.kind,
  dryRun: r.dry_run === 1,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  outcome: r.outcome,
  counts: parseJson(r.counts, emptyCounts()),
  requests: parseJson(r.requests, { graph: 0, target: 0 }),
  durationMs: r.duration_ms,
  error: r.error,
});

export function startCycle(
  db: Database,
  profile: string,
  kind: CycleSummary["kind"],
  dryRun: boolean,
  startedAt: Date,
): CycleSummary {
  const info = db
    .prepare(
      `INSERT INTO cycles (profile, kind, dry_run, started_at, outcome, counts, requests) VALUES (?, ?, ?, ?, 'running', ?, ?)`,
    )
    .run(
      profile,
      kind,
      dryRun ? 1 : 0,
      startedAt.toISOString(),
      JSON.stringify(emptyCounts()),
      JSON.stringify({ graph: 0, target: 0 }),
    );
  return getCycle(db, Number(info.lastInsertRowid))!;
}

/** Closes a cycle row; inScope (users + groups) feeds the next cycle's canary gate. */
export function finishCycle(db: Database, summary: CycleSummary, inScope: number | null): void {
  const changes = db
    .prepare(
      `UPDATE cycles SET ended_at = ?, outcome = ?, counts = ?, requests = ?, duration_ms = ?, error = ?, in_scope = ? WHERE id = ?`,
    )
    .run(
      summary.endedAt,
      summary.outcome,
      JSON.stringify(summary.counts),
      JSON.stringify(summary.requests),
      summary.durationMs,
      summary.error,
      inScope,
      summary.id,
    ).changes;
  if (changes !== 1) throw new Error(`Cycle ${summary.id} is missing from the state database.`);
}

export function getCycle(db: Database, id: number): CycleSummary | undefined {
  const row = db.prepare("SELECT * FROM cycles WHERE id = ?").get(id) as Row | undefined;
  return row && toSummary(row);
}

/** Newest first. */
export function listCycles(db: Database, profile: string, limit: number): CycleSummary[] {
  return (
    db.prepare("SELECT * FROM cycles WHERE profile = ? ORDER BY id DESC LIMIT ?").all(profile, limit) as Row[]
  ).map(toSummary);
}

/** In-scope count at the end of the last real cycle that applied its changes, for the canary gate. */
export function lastInScope(db: Database, profile: string): number | undefined {
  const row = db
    .prepare(
      `SELECT in_scope FROM cycles WHERE profile = ? AND dry_run = 0 AND in_scope IS NOT NULL
       AND outcome IN ('succeeded', 'completedWithFailures') ORDER BY id DESC LIMIT 1`,
    )
    .get(profile) as { in_scope: number } | undefined;
  return row?.in_scope;
}

/** Cycles left "running" by a process that died are closed as failed, so history does not show them running forever. */
export function closeAbandonedCycles(db: Database, profile: string, now: Date): number {
  return db
    .prepare(
      `UPDATE cycles SET outcome = 'failed', ended_at = ?, error = 'The app stopped while this cycle was running.' WHERE profile = ? AND outcome = 'running'`,
    )
    .run(now.toISOString(), profile).changes;
}
