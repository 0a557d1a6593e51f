import type { LogEntry } from "../../../shared/ipc/model";
import { finishCycle, loadEscrow, loadExported, loadLinks, loadMirror, startCycle } from "../db";
import type { SourceObject } from "../db/types";
import { errorKind, type EngineErrorKind } from "../service/errors";
import { getUser, listGroupMembers, readAssignments, transitiveMemberIds } from "../source";
import { applyPlan, logPlanFailure, type ApplyContext } from "./apply";
import { createLogger } from "./log";
import { planObjects } from "./plan-objects";
import { sourceSelect, type SourceSnapshot } from "./read";
import { decideScope } from "./scope";
import type { CycleDeps, PlannedAction } from "./types";

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

/** The groups that decide this user's scope, with the user as their only known member when it belongs. */
async function scopeGroups(
  deps: CycleDeps,
  userId: string,
  assignedGroupIds: Set<string>,
): Promise<Map<string, SourceObject>> {
  const { profile, graph } = deps;
  const scope = profile.source.scope;
  let ids: string[] = [...assignedGroupIds];
  if (typeof scope === "object") {
    // Picked groups are stored by id or display name; the mirror knows the names.
    const mirror = [...loadMirror(deps.db, profile.name, "group").values()];
    const picked = new Set(scope.groups.map((g) => g.toLowerCase()));
    ids = scope.groups.filter((g) => /^[0-9a-f-]{36}$/i.test(g));
    ids.push(
      ...mirror.filter((g) => picked.has(String(g.attributes.displayName ?? "").toLowerCase())).map((g) => g.id),
    );
  }
  const groups = new Map<string, SourceObject>();
  for (const id of new Set(ids)) {
    const member = profile.source.includeNestedGroups
      ? (await transitiveMemberIds(graph, id)).has(userId)
      : (await listGroupMembers(graph, id)).some((m) => m.id === userId);
    groups.set(id, {
      type: "group",
      id,
      attributes: { displayName: id },
      members: member ? [{ id: userId, type: "user" }] : [],
      removed: null,
    });
  }
  return groups;
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
    const assignments =
      profile.source.scope === "assigned"
        ? await readAssignments(graph, profile.source.appId, profile.source.tenantId)
        : null;
    const snapshot: SourceSnapshot = {
      users: new Map([[id, user]]),
      groups:
        profile.source.scope === "all" ? new Map() : await scopeGroups(deps, id, assignments?.groupIds ?? new Set()),
      assignments,
      full: false,
      resynced: false,
      deltaLinks: { users: "", groups: "" },
      changed: { users: new Set(), groups: new Set() },
    };
    const scope = decideScope(profile, rules, snapshot).users.get(id)!;
    steps.push({ name: "Determine scope", status: scope.inScope ? "Success" : "Skipped", detail: scope.reason });

    current = "Match user";
    const plan = await planObjects({
      profile,
      rules,
      scim,
      type: "user",
      objects: snapshot.users,
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
