import type { LogEntry } from "../../../shared/ipc/model";
import type { ProvisionOneResultView, ProvisionStep } from "../../../shared/ipc/provision-model";
import { loadGroupMembers, loadLinks, loadMirror } from "../db";
import type { EngineErrorKind } from "../service/errors";
import { getGroup, userGroupIds, type GraphClient } from "../source";
import { tracedContext, type ApplyContext } from "./apply";
import { applyMemberships } from "./apply-memberships";
import { provisionUserSteps, runOnDemand, testConnectionStep } from "./provision-steps";
import type { CycleDeps, PlannedAction } from "./types";

export type { ProvisionStep };

export interface ProvisionOneResult {
  steps: ProvisionStep[];
  /** What was done (null when nothing was needed or a step failed). */
  action: PlannedAction | null;
  /** The log entry written for the user, if it got as far as an action. */
  entry: LogEntry | null;
  groups: ProvisionOneResultView["groups"];
  cycleId: number;
  /** Why a step failed, by kind ("auth": a credential was refused, "notFound": no such user); null when none failed for an error. */
  failureKind: EngineErrorKind | null;
}

/**
 * Adds the user to the target groups it belongs to in Entra (directly, as cycles do) that are provisioned, i.e. linked
 * to a target group; groups whose recorded members already hold the user are left alone.
 */
async function addToGroups(
  ctx: ApplyContext,
  graph: GraphClient,
  userId: string,
  userName: string,
): Promise<ProvisionOneResultView["groups"]> {
  const names = new Map(
    [...loadMirror(ctx.db, ctx.profile, "group").values()].map((g) => [g.id, String(g.attributes.displayName ?? g.id)]),
  );
  const exported = loadGroupMembers(ctx.db, ctx.profile);
  const memberOf = await userGroupIds(graph, userId);
  const added: ProvisionOneResultView["groups"] = [];
  for (const link of loadLinks(ctx.db, ctx.profile, "group").values()) {
    if (exported.get(link.sourceId)?.has(userId) || !memberOf.has(link.sourceId)) continue;
    // A group provisioned on demand before any cycle is not in the mirror yet: its name comes from Entra then.
    const displayName =
      names.get(link.sourceId) ?? (await getGroup(graph, link.sourceId))?.displayName ?? link.sourceId;
    const failedBefore = ctx.counts.groups.failed;
    // Traced, so the group's log entry quotes the PATCH's request ids.
    await applyMemberships(
      tracedContext(ctx),
      { groupSourceId: link.sourceId, displayName, add: [userId], remove: [] },
      new Map([[userId, userName]]),
    );
    added.push({
      sourceId: link.sourceId,
      displayName,
      status: ctx.counts.groups.failed > failedBefore ? "Failure" : "Success",
    });
  }
  return added;
}

/**
 * Provision on demand: one user through Entra's steps (test connection, import, determine scope, match, perform
 * action), each reported with its outcome. The user is created, updated or disabled exactly as a cycle would, then
 * added to the provisioned target groups it belongs to in Entra.
 */
export function provisionOne(deps: CycleDeps, idOrUpn: string): Promise<ProvisionOneResult> {
  return runOnDemand(
    deps,
    (cycleId): ProvisionOneResult => ({ steps: [], action: null, entry: null, groups: [], cycleId, failureKind: null }),
    async (run, result) => {
      if (!(await testConnectionStep(run, result.steps))) return;
      const outcome = await provisionUserSteps(run, result.steps, idOrUpn);
      if (!outcome) return;
      result.action = outcome.action;
      result.entry = outcome.entry;
      // Entra adds the user to its provisioned groups too: only once the user exists (and stays enabled) in the target.
      if (!outcome.inTarget) return;
      const userName = String(outcome.user.attributes.userPrincipalName ?? outcome.user.id);
      result.groups = await addToGroups(run.ctx, deps.graph, outcome.user.id, userName);
      if (!result.groups.length) return;
      const step = outcome.actionStep;
      step.detail += ` Added to ${result.groups.map((g) => `${g.displayName}${g.status === "Success" ? "" : " (failed: see the log)"}`).join(", ")}.`;
      if (!outcome.entry) step.status = result.groups.some((g) => g.status === "Failure") ? "Failure" : "Success";
    },
  );
}
