import type { Database } from "better-sqlite3";
import type { PlanApplyResult, PlanFilters, PlanItemKind, PlanView } from "../../../shared/ipc/plan-model";
import { PlanItemKindSchema } from "../../../shared/ipc/plan-model";
import type { CycleOptions, CycleResult } from "../cycle";
import { filterItems, itemsCsv } from "../cycle/plan-items";
import { getPlan, planOfCycle, type StoredPlan } from "../db";
import { EngineError } from "./errors";

export type Approval = { approved: string[] | "all"; rejected?: string[] };

/** The plan with its per-kind totals, its items narrowed by the filters. */
export function planView(plan: StoredPlan, filters?: PlanFilters): PlanView {
  const totals = Object.fromEntries(PlanItemKindSchema.options.map((k) => [k, 0])) as Record<PlanItemKind, number>;
  for (const i of plan.items) totals[i.kind]++;
  return { ...plan, items: filterItems(plan.items, filters), totals };
}

/** Plans by id (or the plan of a cycle, e.g. the one stopped at the deletion threshold), for the window and the CLI. */
export function createPlans(deps: {
  db: Database;
  profileName: () => string;
  runCycle: (options: CycleOptions) => Promise<CycleResult>;
}) {
  const stored = (result: CycleResult): StoredPlan => {
    const plan = result.planId ? getPlan(deps.db, deps.profileName(), result.planId) : null;
    if (!plan)
      throw new EngineError(
        "other",
        `Cycle ${result.summary.id} ended "${result.summary.outcome}" before it had a plan: ${result.summary.error ?? "see the log"}.`,
      );
    return plan;
  };
  const find = (ref: { planId?: string; cycleId?: number }): StoredPlan => {
    const plan =
      ref.planId !== undefined
        ? getPlan(deps.db, deps.profileName(), ref.planId)
        : ref.cycleId !== undefined
          ? planOfCycle(deps.db, deps.profileName(), ref.cycleId)
          : null;
    if (!plan)
      throw new EngineError(
        "notFound",
        ref.planId !== undefined
          ? `No plan ${ref.planId} is stored for this profile (plans are kept for the last 50 previews). Run a new preview.`
          : `Cycle ${ref.cycleId} has no plan: only previews and cycles stopped at a safety gate store one.`,
      );
    return plan;
  };
  return {
    /**
     * A dry run, stored as a plan to review. With `allowDeletes` the safety gates do not stop it, so that after a canary
     * stop the admin sees every disable and delete the drop would cause before approving any of them.
     */
    async preview(allowDeletes = false): Promise<PlanView> {
      return planView(stored(await deps.runCycle({ dryRun: true, full: false, allowDeletes })));
    },
    get: (ref: { planId?: string; cycleId?: number }, filters?: PlanFilters) => planView(find(ref), filters),
    exportCsv(planId: string) {
      const plan = find({ planId });
      return { filename: `provisiondesk-plan-${plan.cycleId}.csv`, content: itemsCsv(plan.items) };
    },
    /**
     * Applies exactly the approved items (a held deletion approved here is allowed once: the admin reviewed it).
     * When Entra changed any of them since the preview, nothing is applied and the plan as it stands now is returned.
     */
    async apply(plan: StoredPlan | string, approval: Approval): Promise<PlanApplyResult> {
      const base = typeof plan === "string" ? find({ planId: plan }) : plan;
      if (base.outcome === "stoppedByCanary")
        throw new EngineError(
          "config",
          "The canary stopped this cycle before it planned anything, so it has no items to approve. If the drop in " +
            "users and groups is intended, preview past the check (Dashboard → Preview what would go, or " +
            "sync --dry-run --allow-deletes) and apply what you approve; otherwise fix " +
            "the app's assignments or the Graph permissions first.",
        );
      const rejected = new Set(approval.rejected ?? []);
      const wanted = approval.approved === "all" ? null : new Set(approval.approved);
      const unknown = [...(wanted ?? []), ...rejected].filter((id) => !base.items.some((i) => i.id === id));
      if (unknown.length > 0)
        throw new EngineError("config", `The plan has no item ${unknown.slice(0, 3).join(", ")}. Check the item ids.`);
      const approved = base.items.filter((i) => (wanted ? wanted.has(i.id) : true) && !rejected.has(i.id));
      const result = await deps.runCycle({ dryRun: false, full: false, allowDeletes: true, approved });
      if (result.changes.length > 0)
        return { status: "changed", changes: result.changes, plan: planView(stored(result)) };
      return { status: "applied", summary: result.summary };
    },
  };
}
