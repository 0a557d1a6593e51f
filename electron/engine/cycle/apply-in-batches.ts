import { stagedCount } from "../db";
import { applyPlan, type ApplyContext } from "./apply";
import type { ObjectWork } from "./plan-objects";
import { USER_BATCH, type WorkPlan } from "./plan";
import type { PlannedMembership } from "./types";

/** Whether any planned membership adds or removes a member. */
export const hasChanges = (memberships: PlannedMembership[]) =>
  memberships.some((m) => m.add.length > 0 || m.remove.length > 0);
const changesIn = (works: ObjectWork[]) => works.filter((w) => w.action).length;

export interface BatchSteps {
  /** Asks the target's ServiceProviderConfig once, before the first write. */
  askConfig: () => Promise<void>;
  /** A deferred plan's staged users, planned a batch at a time. */
  stagedBatches: () => AsyncIterable<ObjectWork[]>;
  /** Plans the memberships of a plan that has none yet (a real run's); returns the members' names. */
  planMemberships: () => Promise<Map<string, string>>;
  names: Map<string, string>;
}

/**
 * Applies a real run's plan in apply's order (users, groups, memberships, then group and user deletes), the users'
 * creates, updates and disables a batch at a time, so that a cycle does not hold every user's work until the end:
 * first the planned ones, then for a deferred plan each batch of staged users as it is planned. Memberships not
 * planned yet are planned while the users are applied (for a deferred plan, once its last batch is planned): they
 * need to know which users the plan creates or removes, not the target's answers.
 */
export async function applyInBatches(ctx: ApplyContext, work: WorkPlan, steps: BatchSteps): Promise<void> {
  const isDelete = (w: ObjectWork) => w.action?.action === "Delete";
  const users = work.users.filter((w) => !isDelete(w));
  const deletes = work.users.filter(isDelete);
  work.users = [];
  const pending = work.deferred ? stagedCount(ctx.db, ctx.profile, "user", true) : 0;
  const rest = () => changesIn(deletes) + changesIn(work.groups) + work.memberships.length;
  let total = changesIn(users) + pending + rest();
  if (changesIn(users) + pending + changesIn(deletes) + changesIn(work.groups) > 0 || hasChanges(work.memberships))
    await steps.askConfig();
  const report = ctx.onProgress;
  let offset = 0;
  let reported = -1;
  // Each batch starts at 0 of its own: only the overall count going up is reported.
  ctx.onProgress = (done) => {
    if (offset + done === reported) return;
    reported = offset + done;
    report(reported, Math.max(total, reported));
  };
  const apply = async (batch: ObjectWork[]) => {
    await applyPlan(ctx, batch, [], [], steps.names);
    offset += changesIn(batch);
  };
  const membershipsPlanned = work.membershipsPlanned;
  // What is planned while users are applied: the next staged batch (planning yields to the event loop), and the
  // memberships once every user is planned. A batch that fails still waits for them before the cycle ends.
  const planning: { batch?: Promise<unknown>; memberships?: Promise<Map<string, string>> } = {};
  // Awaited later: a failure meanwhile must not count as unhandled (it is thrown where the promise is awaited).
  const underWay = <T>(promise: Promise<T>) => (promise.catch(() => undefined), promise);
  const planMemberships = () => (planning.memberships = underWay(steps.planMemberships()));
  // A plan with all its users planned starts on its memberships once the first user requests are out.
  if (!membershipsPlanned && !work.deferred)
    planning.memberships = underWay(new Promise((resolve) => setImmediate(resolve)).then(steps.planMemberships));
  const batches = work.deferred ? steps.stagedBatches()[Symbol.asyncIterator]() : null;
  let names = steps.names;
  try {
    while (users.length > 0) await apply(users.splice(0, USER_BATCH));
    for (let batch = await batches?.next(); batch && !batch.done;) {
      const applying = apply(batch.value);
      // The next batch is planned once this one's first requests are out (undici writes them in the next turn).
      const next = underWay(
        new Promise((resolve) => setImmediate(resolve))
          .then(() => batches!.next())
          .then((following) => {
            if (following.done) planMemberships();
            return following;
          }),
      );
      planning.batch = next;
      await applying;
      batch = await next;
    }
    if (!membershipsPlanned) names = await (planning.memberships ?? planMemberships());
  } catch (error) {
    await planning.batch?.catch(() => undefined);
    await planning.memberships?.catch(() => undefined);
    await batches?.return?.(undefined);
    throw error;
  }
  if (!membershipsPlanned) {
    total = offset + rest();
    if (hasChanges(work.memberships)) await steps.askConfig();
  }
  await applyPlan(ctx, deletes, work.groups, work.memberships, names);
}
