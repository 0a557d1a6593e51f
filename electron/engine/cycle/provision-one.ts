import type { LogEntry } from "../../../shared/ipc/model";
import type { ProvisionOneResultView, ProvisionStep } from "../../../shared/ipc/provision-model";
import {
  finishCycle,
  getLink,
  loadEscrow,
  loadExported,
  loadGroupMembers,
  linkIndex,
  loadLinks,
  loadMirror,
  startCycle,
} from "../db";
import type { SourceObject } from "../db/types";
import { errorKind, type EngineErrorKind } from "../service/errors";
import { getUser, listGroupMembers, type GraphClient } from "../source";
import { applyPlan, logPlanFailure, type ApplyContext } from "./apply";
import { applyMemberships } from "./apply-memberships";
import { createLogger } from "./log";
import { planObjects } from "./plan-objects";
import { sourceSelect } from "./read";
import type { CycleDeps, PlannedAction } from "./types";
import { liveUserScope } from "./user-scope";

export type { ProvisionStep };

export interface ProvisionOneResult {
  steps: ProvisionStep[];
  /** What was done (null when nothing was needed or a step failed). */
  action: PlannedAction | null;
  /** The log entry written for the user, if it got as far as an action. */
  entry: LogEntry | null;
  groups: ProvisionOneResultView["groups"];
  cycleId: number;
  /** Why a step failed, by kind ("auth": a credential was refused); null when none failed for an error. */
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
  const added: ProvisionOneResultView["groups"] = [];
  for (const link of loadLinks(ctx.db, ctx.profile, "group").values()) {
    if (exported.get(link.sourceId)?.has(userId)) continue;
    const members = await listGroupMembers(graph, link.sourceId);
    if (!members.some((m) => m.id === userId)) continue;
    const displayName = names.get(link.sourceId) ?? link.sourceId;
    const failedBefore = ctx.counts.groups.failed;
    await applyMemberships(
      ctx,
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
 * action), each reported with its outcome. The user is created, updated or disabled exactly as a cycle would.
 */
export async function provisionOne(deps: CycleDeps, idOrUpn: string): Promise<ProvisionOneResult> {
  const { db, profile, rules, graph, scim } = deps;
  const now = deps.now ?? (() => new Date());
  const cycle = startCycle(db, profile.name, "incremental", false, now());
  const log = createLogger(db, profile.name, cycle.id, now, deps.onLog);
  const requestsBefore = { graph: graph.requestCount, target: scim.requestCount };
  const steps: ProvisionStep[] = [];
  const result: ProvisionOneResult = {
    steps,
    action: null,
    entry: null,
    groups: [],
    cycleId: cycle.id,
    failureKind: null,
  };
  let current: ProvisionStep["name"] = "Test connection";
  const stop = (name: ProvisionStep["name"], detail: string) => {
    steps.push({ name, status: "Failure", detail });
    cycle.outcome = "failed";
    cycle.error = detail;
    return result;
  };
  try {
    const checks = await scim.testConnection();
    const failed = checks.find((c) => !c.ok);
    if (failed) {
      result.failureKind = failed.refused ? "auth" : "other";
      return stop("Test connection", failed.message);
    }
    steps.push({ name: "Test connection", status: "Success", detail: checks.map((c) => c.message).join(" ") });

    current = "Import user";
    const attributes = await getUser(graph, idOrUpn, sourceSelect(rules).users);
    if (!attributes)
      return stop("Import user", `Entra ID has no user "${idOrUpn}" (looked up by object id or user principal name).`);
    const id = String(attributes.id);
    const user: SourceObject = { type: "user", id, attributes, removed: null };
    steps.push({
      name: "Import user",
      status: "Success",
      detail: `${String(attributes.displayName ?? id)} (${String(attributes.userPrincipalName ?? id)})`,
    });

    current = "Determine scope";
    // The engine's one scope decision, on what decides this user read live from Entra.
    const explained = await liveUserScope(graph, profile, rules, user);
    const scope = explained.decision;
    steps.push({
      name: "Determine scope",
      status: scope.inScope ? "Success" : "Skipped",
      detail: scope.reason,
      rules: explained.steps.map((r) => ({ step: r.step, outcome: r.outcome, message: r.message })),
    });

    current = "Match user";
    const plan = await planObjects({
      profile,
      rules,
      scim,
      type: "user",
      objects: [user],
      scope: new Map([[id, scope]]),
      links: linkIndex(db, profile.name, "user"),
      exported: loadExported(db, profile.name, "user"),
      listing: null,
      escrow: loadEscrow(db, profile.name),
      now: now(),
      ignoreEscrow: true,
    });
    const work = plan.works[0];
    const failure = plan.failures[0];
    const link = getLink(db, profile.name, "user", id);
    const matchDetail = failure
      ? failure.message
      : link
        ? `linked to ${link.targetId}`
        : work?.link
          ? `matched ${work.link.targetId} by ${work.link.matchedBy}`
          : "no match in the target";
    steps.push({ name: "Match user", status: failure ? "Failure" : "Success", detail: matchDetail });

    current = "Perform action";
    const ctx: ApplyContext = {
      db,
      profile: profile.name,
      scim,
      dryRun: false,
      now,
      log,
      counts: cycle.counts,
      concurrency: 1,
      membershipBatchSize: profile.target.membershipBatchSize,
      exportedMembers: new Map(),
      onProgress: () => {},
    };
    let entry: LogEntry | null = null;
    ctx.log = (e) => (entry = log(e));
    if (failure) logPlanFailure(ctx, failure);
    else if (work) await applyPlan(ctx, [work], [], [], new Map());
    result.entry = entry;
    result.action = work?.action ?? null;
    const done = entry as LogEntry | null;
    const userName = String(attributes.userPrincipalName ?? id);
    // Entra adds the user to its provisioned groups too: only once the user exists (and stays enabled) in the target.
    ctx.log = log;
    if (scope.inScope && !scope.softDeleted && getLink(db, profile.name, "user", id))
      result.groups = await addToGroups(ctx, graph, id, userName);
    const groupsDetail = result.groups.length
      ? ` Added to ${result.groups.map((g) => `${g.displayName}${g.status === "Success" ? "" : " (failed: see the log)"}`).join(", ")}.`
      : "";
    const status =
      done?.status ??
      (result.groups.length ? (result.groups.some((g) => g.status === "Failure") ? "Failure" : "Success") : "Skipped");
    steps.push({
      name: "Perform action",
      status,
      detail:
        (done
          ? (done.message ?? `${done.action}: ${done.status}`)
          : scope.softDeleted
            ? `Nothing to do: ${scope.reason}.`
            : "Nothing to do: the target already holds these values.") + groupsDetail,
      requestIds: done?.requestIds ?? [],
    });
    const failures = cycle.counts.users.failed + cycle.counts.groups.failed;
    cycle.outcome = failures > 0 ? "completedWithFailures" : "succeeded";
    return result;
  } catch (error) {
    result.failureKind = errorKind(error);
    return stop(current, error instanceof Error ? error.message : String(error));
  } finally {
    const ended = now();
    cycle.endedAt = ended.toISOString();
    cycle.durationMs = ended.getTime() - Date.parse(cycle.startedAt);
    cycle.requests = {
      graph: graph.requestCount - requestsBefore.graph,
      target: scim.requestCount - requestsBefore.target,
    };
    finishCycle(db, cycle, null);
  }
}
