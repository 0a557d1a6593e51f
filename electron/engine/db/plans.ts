import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import { atomically } from "./atomically";
import type { CycleOutcome } from "../../../shared/ipc/model";
import type { PlanItem, PlanView } from "../../../shared/ipc/plan-model";
import { parseJson } from "./json";

export type StoredPlan = Omit<PlanView, "totals">;

/** Plans kept per profile: enough to review the last previews and stopped cycles. */
const KEEP = 50;

interface Row {
  id: string;
  cycle_id: number;
  created_at: string;
  outcome: CycleOutcome;
  delta_users: string;
  delta_groups: string;
  items: string;
  failures: string;
}

const fromRow = (r: Row): StoredPlan => ({
  id: r.id,
  cycleId: r.cycle_id,
  createdAt: r.created_at,
  outcome: r.outcome,
  sourceState: { users: r.delta_users, groups: r.delta_groups },
  items: parseJson<PlanItem[]>(r.items, []),
  failures: parseJson<StoredPlan["failures"]>(r.failures, []),
});

export function savePlan(db: Database, profile: string, plan: Omit<StoredPlan, "id">): StoredPlan {
  const stored = { ...plan, id: randomUUID() };
  atomically(db, () => {
    db.prepare(
      `INSERT INTO plans (id, profile, cycle_id, created_at, outcome, delta_users, delta_groups, items, failures)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      stored.id,
      profile,
      stored.cycleId,
      stored.createdAt,
      stored.outcome,
      stored.sourceState.users,
      stored.sourceState.groups,
      JSON.stringify(stored.items),
      JSON.stringify(stored.failures),
    );
    db.prepare(
      `DELETE FROM plans WHERE profile = ? AND id NOT IN
         (SELECT id FROM plans WHERE profile = ? ORDER BY cycle_id DESC, created_at DESC LIMIT ?)`,
    ).run(profile, profile, KEEP);
  });
  return stored;
}

export function getPlan(db: Database, profile: string, id: string): StoredPlan | null {
  const row = db.prepare("SELECT * FROM plans WHERE profile = ? AND id = ?").get(profile, id) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function planOfCycle(db: Database, profile: string, cycleId: number): StoredPlan | null {
  const row = db
    .prepare("SELECT * FROM plans WHERE profile = ? AND cycle_id = ? ORDER BY created_at DESC LIMIT 1")
    .get(profile, cycleId) as Row | undefined;
  return row ? fromRow(row) : null;
}
