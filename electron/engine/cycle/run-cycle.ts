import type { CycleSummary, Progress } from "../../../shared/ipc/model";
import { closeAbandonedCycles, finishCycle, getDeltaLink, lastInScope, startCycle } from "../db";
import { matchingAttributes } from "../rules";
import { applyPlan, isFatal, logPlanFailure, type ApplyContext } from "./apply";
import { commitSnapshot } from "./commit";
import { displayNameOf } from "./evaluate";
import { canaryGate, deletionGate } from "./gates";
import { createLogger } from "./log";
import { listTarget } from "./match";
import { buildPlan, planValue } from "./plan";
import { readSource, sourceSelect } from "./read";
import { resolveIntents } from "./recover";
import { decideScope } from "./scope";
import type { CycleDeps, CycleOptions, CycleResult, Plan } from "./types";

/**
 * One provisioning cycle: read → scope → match → evaluate → diff → gates → apply → commit.
 * A dry run is the same pipeline with target writes and state changes off; its plan is what a real run would do.
 */
export async function runCycle(deps: CycleDeps, options: CycleOptions): Promise<CycleResult> {
  const { db, profile, rules, graph, scim } = deps;
  const now = deps.now ?? (() => new Date());
  const started = now();
  closeAbandonedCycles(db, profile.name, started);
  const hasLinks = getDeltaLink(db, profile.name, "users") && getDeltaLink(db, profile.name, "groups");
  const summary: CycleSummary = startCycle(
    db,
    profile.name,
    options.full || !hasLinks ? "initial" : "incremental",
    options.dryRun,
    started,
  );
  const progress = (phase: Progress["phase"], done: number, total: number) =>
    deps.onProgress?.({ cycleId: summary.id, phase, done, total });
  const log = createLogger(db, profile.name, summary.id, now, deps.onLog);
  const requestsBefore = { graph: graph.requestCount, target: scim.requestCount };
  let plan: Plan = { actions: [], memberships: [], failures: [] };
  let inScope: number | null = null;
  try {
    if (!options.dryRun) await resolveIntents(db, profile.name, scim, started);

    progress("read", 0, 1);
    const snapshot = await readSource(db, profile, graph, sourceSelect(rules), options.full);
    if (snapshot.full) summary.kind = "initial";
    progress("read", 1, 1);

    const scope = decideScope(profile, rules, snapshot);
    progress("scope", scope.users.size + scope.groups.size, scope.users.size + scope.groups.size);
    const canary = canaryGate(profile, lastInScope(db, profile.name), scope.inScopeCount, options.allowDeletes);
    if (canary.stop) {
      summary.outcome = canary.outcome!;
      summary.error = canary.message!;
      return { summary, plan };
    }
    inScope = scope.inScopeCount;

    // A full cycle reads the target once and matches locally (and compares with the target's own values).
    progress("match", 0, 1);
    const matchPaths = (type: "users" | "groups") => matchingAttributes(rules[type]).map((m) => m.target);
    const listings = snapshot.full
      ? {
          users: await listTarget(scim, "user", matchPaths("users")),
          groups: profile.target.provisionGroups ? await listTarget(scim, "group", matchPaths("groups")) : null,
        }
      : { users: null, groups: null };
    progress("match", 1, 1);

    const work = await buildPlan({
      db,
      profile,
      rules,
      scim,
      snapshot,
      scope,
      listings,
      now: started,
      full: snapshot.full,
      onProgress: (d, t) => progress("evaluate", d, t),
    });
    progress("diff", work.memberships.length, work.memberships.length);

    const gate = deletionGate(profile, [...work.users, ...work.groups], options.allowDeletes);
    plan = planValue(work);
    progress("gates", 1, 1);

    const ctx: ApplyContext = {
      db,
      profile: profile.name,
      scim,
      dryRun: options.dryRun || gate.stop,
      now,
      log,
      counts: summary.counts,
      concurrency: profile.target.concurrency,
      membershipBatchSize: 0,
      exportedMembers: work.exportedMembers,
      adoptedMembers: work.adoptedMembers,
      onProgress: (d, t) => progress("apply", d, t),
    };
    if (gate.stop) {
      // Nothing is applied; the held deletions are listed so the admin sees exactly what would go.
      for (const w of [...work.users, ...work.groups]) {
        if (w.action?.action !== "StagedDelete") continue;
        (w.type === "user" ? summary.counts.users : summary.counts.groups).stagedDelete++;
        log({
          objectType: w.type,
          sourceId: w.sourceId,
          targetId: w.action.targetId,
          displayName: w.action.displayName,
          action: "StagedDelete",
          status: "Skipped",
          modified: w.action.changes,
          steps: [{ name: "Provision", status: "Skipped", detail: gate.message! }],
          message: gate.message!,
        });
      }
      summary.outcome = gate.outcome!;
      summary.error = gate.message!;
      return { summary, plan };
    }

    // A target without a usable ServiceProviderConfig gets the profile's batch size; a rejected token ends the cycle.
    const config = await scim.serviceProviderConfig().catch((error: unknown) => {
      if (isFatal(error)) throw error;
      return undefined;
    });
    ctx.membershipBatchSize = config?.bulkMaxOperations ?? profile.target.membershipBatchSize;
    const names = new Map(
      [...snapshot.users.values()].map((u) => [u.id, String(u.attributes.userPrincipalName ?? displayNameOf(u))]),
    );
    await applyPlan(ctx, work.users, work.groups, work.memberships, names);
    for (const f of work.failures) logPlanFailure(ctx, f);

    progress("commit", 0, 1);
    if (!options.dryRun) commitSnapshot(db, profile.name, snapshot);
    progress("commit", 1, 1);
    const failed = summary.counts.users.failed + summary.counts.groups.failed;
    summary.outcome = failed > 0 ? "completedWithFailures" : "succeeded";
    return { summary, plan };
  } catch (error) {
    summary.outcome = "failed";
    summary.error = error instanceof Error ? error.message : String(error);
    return { summary, plan };
  } finally {
    const ended = now();
    summary.endedAt = ended.toISOString();
    summary.durationMs = ended.getTime() - started.getTime();
    summary.requests = {
      graph: graph.requestCount - requestsBefore.graph,
      target: scim.requestCount - requestsBefore.target,
    };
    finishCycle(db, summary, options.dryRun ? null : inScope);
  }
}
