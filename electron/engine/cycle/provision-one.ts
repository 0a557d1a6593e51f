import type { LogEntry } from "../../../shared/ipc/model";
import { finishCycle, loadEscrow, loadExported, loadLinks, startCycle } from "../db";
import type { SourceObject } from "../db/types";
import { errorKind, type EngineErrorKind } from "../service/errors";
import { getUser } from "../source";
import { applyPlan, logPlanFailure, type ApplyContext } from "./apply";
import { createLogger } from "./log";
import { planObjects } from "./plan-objects";
import { sourceSelect } from "./read";
import type { CycleDeps, PlannedAction } from "./types";
import { liveUserScope } from "./user-scope";

export interface ProvisionStep {
  name: "Test connection" | "Import user" | "Determine scope" | "Match user" | "Perform action";
  status: LogEntry["status"];
  detail: string;
}

export interface ProvisionOneResult {
  steps: ProvisionStep[];
  /** What was done (null when nothing was needed or a step failed). */
  action: PlannedAction | null;
  /** The log entry written for the user, if it got as far as an action. */
  entry: LogEntry | null;
  cycleId: number;
  /** Why a step failed, by kind ("auth": a credential was refused); null when none failed for an error. */
  failureKind: EngineErrorKind | null;
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
  const result: ProvisionOneResult = { steps, action: null, entry: null, cycleId: cycle.id, failureKind: null };
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
    const { decision: scope } = await liveUserScope(graph, profile, rules, user);
    steps.push({ name: "Determine scope", status: scope.inScope ? "Success" : "Skipped", detail: scope.reason });

    current = "Match user";
    const plan = await planObjects({
      profile,
      rules,
      scim,
      type: "user",
      objects: new Map([[id, user]]),
      scope: new Map([[id, scope]]),
      links: loadLinks(db, profile.name, "user"),
      exported: loadExported(db, profile.name, "user"),
      listing: null,
      escrow: loadEscrow(db, profile.name),
      now: now(),
      ignoreEscrow: true,
    });
    const work = plan.works[0];
    const failure = plan.failures[0];
    const link = loadLinks(db, profile.name, "user").get(id);
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
    steps.push({
      name: "Perform action",
      status: done?.status ?? "Skipped",
      detail: done
        ? (done.message ?? `${done.action}: ${done.status}`)
        : scope.softDeleted
          ? `Nothing to do: ${scope.reason}.`
          : "Nothing to do: the target already holds these values.",
    });
    const failures = cycle.counts.users.failed;
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
