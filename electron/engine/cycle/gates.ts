import type { Profile } from "../../../shared/config/profile";
import type { CycleOutcome } from "../../../shared/ipc/model";
import type { ObjectWork } from "./plan-objects";

/** The canary watches tenants with at least this many in-scope objects. */
const CANARY_MIN_OBJECTS = 10;

export interface GateResult {
  stop: boolean;
  outcome?: Extract<CycleOutcome, "stoppedByDeletionThreshold" | "stoppedByCanary">;
  message?: string;
}

/**
 * Canary: the source suddenly returns far fewer in-scope objects than last time (a permissions change, an emptied
 * group, a Graph outage answering empty pages). Stop before anything is written.
 */
export function canaryGate(
  profile: Profile,
  previousInScope: number | undefined,
  inScopeNow: number,
  allowDeletes: boolean,
): GateResult {
  const fraction = profile.safety.canaryFraction;
  // In a handful of objects a few removals are a large fraction; the deletion threshold covers those.
  if (
    allowDeletes ||
    previousInScope === undefined ||
    previousInScope < CANARY_MIN_OBJECTS ||
    inScopeNow >= previousInScope * fraction
  )
    return { stop: false };
  return {
    stop: true,
    outcome: "stoppedByCanary",
    message:
      `Entra ID now returns ${inScopeNow} users and groups in scope, down from ${previousInScope} last cycle (under ${Math.round(fraction * 100)}%). ` +
      "Nothing was changed. Check the app's assignments and the Graph permissions; if the drop is intended, preview past " +
      "this check (Dashboard → Preview what would go, or sync --dry-run --allow-deletes) and apply what you approve.",
  };
}

const isDeprovision = (w: ObjectWork) => w.action?.action === "Disable" || w.action?.action === "Delete";

/**
 * Deletion threshold: more disables + deletes (users and groups) than allowed stops the cycle; the held actions
 * become StagedDelete so the admin sees exactly what would go.
 */
export function deletionGate(profile: Profile, works: ObjectWork[], allowDeletes: boolean): GateResult {
  const count = works.filter(isDeprovision).length;
  const threshold = profile.safety.deletionThreshold;
  if (allowDeletes || count <= threshold) return { stop: false };
  for (const w of works) if (isDeprovision(w) && w.action) w.action = { ...w.action, action: "StagedDelete" };
  return {
    stop: true,
    outcome: "stoppedByDeletionThreshold",
    message:
      `This cycle would disable or delete ${count} users and groups, over the deletion threshold of ${threshold}. Nothing was changed. ` +
      "If they are intended, review them (Dashboard → Review held deletions, or sync --dry-run --allow-deletes) and apply " +
      "what you approve; otherwise fix the cause in Entra ID.",
  };
}
