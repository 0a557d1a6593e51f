import type { CycleSummary, Progress } from "../../../shared/ipc/model";
import {
  closeAbandonedCycles,
  finishCycle,
  getDeltaLink,
  lastInScope,
  loadEscrow,
  savePlan,
  stagedCount,
  startCycle,
  type Db,
} from "../db";
import type { Profile } from "../../../shared/config/profile";
import type { Rules } from "../../../shared/config/mappings";
import { matchingAttributes } from "../rules";
import type { ScimClient, ServiceProviderConfig } from "../target";
import { errorKind } from "../service/errors";
import { applyPlan, isFatal, logPlanFailure, type ApplyContext } from "./apply";
import { applyInBatches, hasChanges } from "./apply-in-batches";
import { CycleCancelledError, throwIfCancelled } from "./cancel";
import { commitSnapshot, stageUsers } from "./commit";
import { displayNameOf } from "./evaluate";
import { canaryGate, deletionGate } from "./gates";
import { createLogger } from "./log";
import { listTarget } from "./match";
import { buildPlan, planMembershipChanges, planValue, stagedUserBatches, USER_BATCH, type PlanInput } from "./plan";
import { changedItems, planItems, restrictWork } from "./plan-items";
import { quarantineReason } from "./quarantine";
import { timeSlices } from "./time-slices";
import { allOrFirstError, mirrorObjects, readSource, sourceSelect, type SourceSnapshot } from "./read";
import { resolveIntents } from "./recover";
import { cycleScope } from "./cycle-scope";
import type { PlanChange } from "../../../shared/ipc/plan-model";
import { evaluationInputs, evaluationSet, needsEveryGroup, rulesChangedSince } from "./to-evaluate";
import type { CycleDeps, CycleOptions, CycleResult, Evaluation, Plan, PlannedMembership } from "./types";

const changedCount = (changed: Set<string> | "all", all: Map<string, unknown>) =>
  changed === "all" ? all.size : changed.size;

/**
 * One provisioning cycle: read → scope → match → evaluate → diff → gates → apply → commit.
 * A dry run is the same pipeline with target writes and state changes off; its plan is what a real run would do.
 * The cycle decides its outcome (including quarantine) and records it once, when it closes; by then every request it
 * sent has been answered.
 */
export async function runCycle(deps: CycleDeps, options: CycleOptions): Promise<CycleResult> {
  const { db, profile, rules, graph, scim, signal } = deps;
  const now = deps.now ?? (() => new Date());
  const started = now();
  closeAbandonedCycles(db, profile.name, started);
  const sourceState = {
    users: getDeltaLink(db, profile.name, "users") ?? "",
    groups: getDeltaLink(db, profile.name, "groups") ?? "",
  };
  const hasLinks = sourceState.users && sourceState.groups;
  const summary: CycleSummary = startCycle(
    db,
    profile.name,
    options.full || !hasLinks ? "initial" : "incremental",
    options.dryRun,
    started,
  );
  const counts: Progress["counts"] = {
    usersRead: 0,
    groupsRead: 0,
    evaluated: 0,
    toEvaluate: 0,
    applied: 0,
    toApply: 0,
  };
  const progress = (phase: Progress["phase"], done: number, total: number) => {
    throwIfCancelled(signal);
    deps.onProgress?.({ cycleId: summary.id, phase, done, total, counts: { ...counts } });
  };
  const log = createLogger(db, profile.name, summary.id, now, deps.onLog);
  const requestsBefore = { graph: graph.requestCount, target: scim.requestCount };
  let plan = null as Plan | null;
  let inScope: number | null = null;
  let evaluation: Evaluation | null = null;
  let failure: CycleResult["failure"] = null;
  let changes: PlanChange[] = [];
  let userNames = new Map<string, string>();
  // A full read (first cycle, "full sync", no delta link yet) lists the target while Graph is read: neither read needs
  // the other, and on a target that holds the tenant already both are long. Awaited before the cycle closes, whatever
  // becomes of it: no request outlives its cycle.
  const stopListing = new AbortController();
  const listingNow = options.full || !hasLinks ? targetListings(scim, profile, rules, stopListing.signal) : null;
  listingNow?.catch(() => undefined);
  // The target's configuration, asked for once the read meets a change (see run); awaited before the cycle closes too.
  let config = null as Promise<ServiceProviderConfig> | null;
  const askConfigEarly = () => {
    if (config) return;
    config = scim.serviceProviderConfig();
    config.catch(() => undefined);
  };

  async function run(): Promise<void> {
    if (!options.dryRun) await resolveIntents(db, profile.name, scim, started);

    progress("read", 0, 0);
    // A changes-only read loads from the mirror only what it needs: every object when all are evaluated again (changed
    // rules), every group when scope is decided by group membership.
    const rulesChanged = rulesChangedSince(db, profile, rules);
    // A real cycle's read of every user goes to SQLite as it arrives: a large tenant is never held in memory.
    const snapshot = await readSource(
      db,
      profile,
      graph,
      sourceSelect(rules),
      options.full,
      {
        users: rulesChanged,
        groups: rulesChanged || (profile.source.scope !== "all" && ((read) => needsEveryGroup(db, profile.name, read))),
      },
      !options.dryRun && !options.approved,
      // Asked while the rest of the changes are read and planned, not after them: its answer is in by the first write.
      options.dryRun ? undefined : askConfigEarly,
    );
    if (snapshot.full) summary.kind = "initial";
    counts.usersRead = snapshot.usersStaged
      ? stagedCount(db, profile.name, "user")
      : changedCount(snapshot.changed.users, snapshot.users);
    counts.groupsRead = changedCount(snapshot.changed.groups, snapshot.groups);
    progress("read", counts.usersRead + counts.groupsRead, counts.usersRead + counts.groupsRead);
    // A changes-only read with changes has asked for the target's configuration by now (askConfigEarly): until it
    // answers, the target client holds the cycle's other requests back. A full read asks before its first write. One
    // turn of the event loop lets the request out before planning holds the thread: undici writes on a reused
    // keep-alive connection only once the loop has checked it for stray bytes (setImmediate).
    if (config) await new Promise((resolve) => setImmediate(resolve));

    const escrow = loadEscrow(db, profile.name);
    const toEvaluate = evaluationSet({ db, profile, rules, snapshot, escrow, now: started });
    const scope = cycleScope(db, profile, rules, snapshot, toEvaluate);
    progress("scope", scope.users.size + scope.groups.size, scope.users.size + scope.groups.size);
    const canary = canaryGate(profile, lastInScope(db, profile.name), scope.inScopeCount, options.allowDeletes);
    if (canary.stop) {
      summary.outcome = canary.outcome!;
      summary.error = canary.message!;
      return;
    }
    inScope = scope.inScopeCount;

    // A full cycle reads the target once and matches locally (and compares with the target's own values).
    progress("match", 0, 0);
    const listings = snapshot.full
      ? await (listingNow ?? targetListings(scim, profile, rules))
      : { users: null, groups: null };
    const listed = (listings.users?.byId.size ?? 0) + (listings.groups?.byId.size ?? 0);
    progress("match", listed, listed);

    // A full real read's users wait in SQLite, not in memory: planned and applied a batch at a time, committed at the end.
    if (!options.dryRun && !options.approved && snapshot.changed.users === "all" && !snapshot.usersStaged)
      stageUsers(db, profile.name, snapshot, scope);
    const planInput: PlanInput = {
      db,
      profile,
      rules,
      scim,
      snapshot,
      scope,
      toEvaluate,
      escrow,
      listings,
      now: started,
      full: snapshot.full,
      onProgress: (done, total) => {
        counts.evaluated = done;
        counts.toEvaluate = total;
        deps.onProgress?.({ cycleId: summary.id, phase: "evaluate", done, total, counts: { ...counts } });
      },
    };
    // A preview and an approved plan are whole before anything is applied; a real run plans its memberships while its
    // users are applied (applyInBatches).
    let work = await buildPlan(planInput, options.dryRun || options.approved !== undefined);
    evaluation = work.evaluation;
    if (evaluation.reason === "rulesChanged") logFullEvaluation(log, evaluation);
    progress("diff", work.memberships.length, work.memberships.length);
    const names = () => memberNames(db, profile.name, snapshot, work.memberships);
    if (work.membershipsPlanned) userNames = await names();
    if (options.approved) {
      plan = planValue(work);
      changes = changedItems(options.approved, planItems(plan, userNames));
      if (changes.length > 0) {
        summary.outcome = "cancelled";
        summary.error =
          `Entra ID changed ${changes.length} of the approved changes since the preview. Nothing was applied. ` +
          "Review the plan as it stands now and approve it again.";
        return;
      }
      work = restrictWork(work, new Set(options.approved.map((i) => i.id)));
    }

    // Deletes and disables come from linked objects only: a deferred plan has them all before the gate.
    const gate = deletionGate(profile, [...work.users, ...work.groups], options.allowDeletes);
    if (gate.stop && !work.membershipsPlanned) {
      // Nothing is applied: the stored plan lists everything the cycle would have done, as a preview would.
      if (work.deferred)
        for await (const batch of stagedUserBatches(planInput, work, (f) => work.failures.push(...f)))
          work.users.push(...batch);
      await planMembershipChanges(planInput, work);
      userNames = await names();
    }
    if (options.dryRun || gate.stop) plan = planValue(work);
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
      signal,
      onProgress: (done, total) => {
        counts.applied = done;
        counts.toApply = total;
        deps.onProgress?.({ cycleId: summary.id, phase: "apply", done, total, counts: { ...counts } });
      },
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
      return;
    }

    // A target without a usable ServiceProviderConfig gets the profile's batch size; a rejected token ends the cycle.
    // Asked once, only when there is something to send or changes were read (it also proves the token before the
    // writes): a cycle with nothing to send and no change sends nothing.
    let asked = false;
    const askConfig = async () => {
      if (asked) return;
      asked = true;
      const answer = await (config ?? scim.serviceProviderConfig()).catch((error: unknown) => {
        if (isFatal(error)) throw error;
        return undefined;
      });
      ctx.membershipBatchSize = answer?.bulkMaxOperations ?? profile.target.membershipBatchSize;
    };
    ctx.membershipBatchSize = profile.target.membershipBatchSize;
    // Its answer counts even with nothing to send: a token the target refused ends the cycle and says so.
    if (config) await askConfig();
    if (options.dryRun) {
      if (plan!.actions.length > 0 || hasChanges(work.memberships)) await askConfig();
      await applyPlan(ctx, work.users, work.groups, work.memberships, userNames);
    } else
      await applyInBatches(ctx, work, {
        askConfig,
        // Planned while the batch before is applied: its progress goes with apply's, not as an evaluate phase.
        stagedBatches: () =>
          stagedUserBatches(
            {
              ...planInput,
              onProgress: (done, total) => {
                counts.evaluated = done;
                counts.toEvaluate = total;
              },
            },
            work,
            (failures) => failures.forEach((f) => logPlanFailure(ctx, f)),
          ),
        planMemberships: async () => {
          await planMembershipChanges(planInput, work);
          ctx.exportedMembers = work.exportedMembers;
          ctx.adoptedMembers = work.adoptedMembers;
          return (userNames = await names());
        },
        names: userNames,
      });
    for (const f of work.failures) logPlanFailure(ctx, f);

    // Past this point the cycle finishes: the delta links move only with everything above applied.
    progress("commit", 0, 1);
    // A partial apply leaves the delta links where they were: the items not approved come back next cycle.
    if (!options.dryRun && !options.approved)
      commitSnapshot(
        db,
        profile.name,
        snapshot,
        scope,
        evaluationInputs(profile, rules, snapshot),
        work.plannedLinkChanges,
      );
    deps.onProgress?.({ cycleId: summary.id, phase: "commit", done: 1, total: 1, counts: { ...counts } });
    const failed = summary.counts.users.failed + summary.counts.groups.failed;
    summary.outcome = failed > 0 ? "completedWithFailures" : "succeeded";
  }

  try {
    await run();
  } catch (error) {
    summary.error = error instanceof Error ? error.message : String(error);
    if (error instanceof CycleCancelledError) summary.outcome = "cancelled";
    else {
      summary.outcome = "failed";
      failure = { kind: errorKind(error), message: summary.error, error };
    }
  }
  stopListing.abort();
  await listingNow?.catch(() => undefined);
  await config?.catch(() => undefined);
  const quarantine = quarantineReason(summary, failure);
  if (quarantine) {
    summary.outcome = "quarantined";
    summary.error = `Quarantined because ${quarantine}: ${summary.error ?? "see the log"}`;
  }
  const ended = now();
  summary.endedAt = ended.toISOString();
  summary.durationMs = ended.getTime() - started.getTime();
  summary.requests = {
    graph: graph.requestCount - requestsBefore.graph,
    target: scim.requestCount - requestsBefore.target,
  };
  // An applied plan records its in-scope count too: the admin reviewed the drop it carries, so the canary compares the
  // next cycle with it (only succeeded cycles feed the canary, so a plan refused as changed does not count).
  finishCycle(db, summary, options.dryRun ? null : inScope);
  const reviewable = options.dryRun || changes.length > 0 || summary.outcome.startsWith("stoppedBy");
  const stored = reviewable
    ? savePlan(db, profile.name, {
        cycleId: summary.id,
        createdAt: started.toISOString(),
        outcome: summary.outcome,
        sourceState,
        items: plan ? planItems(plan, userNames) : [],
        failures: plan?.failures ?? [],
      })
    : null;
  return { summary, plan, failure, quarantine, evaluation, planId: stored?.id ?? null, changes };
}

/**
 * Every user and group in the target (groups only when the profile provisions them), to match a full read with; both
 * listed at once. Settled, not Promise.all: when one listing fails, the other has ended too by the time this throws.
 */
async function targetListings(scim: ScimClient, profile: Profile, rules: Rules, stop?: AbortSignal) {
  const paths = (type: "users" | "groups") => matchingAttributes(rules[type]).map((m) => m.target);
  const [users, groups] = allOrFirstError(
    await Promise.allSettled([
      listTarget(scim, "user", paths("users"), stop),
      profile.target.provisionGroups ? listTarget(scim, "group", paths("groups"), stop) : null,
    ]),
  );
  return { users, groups };
}

/**
 * Names of the users whose memberships the plan changes, for its items and log entries. Read while a real run's users
 * are written: a turn between pages lets their answers in.
 */
async function memberNames(
  db: Db,
  profile: string,
  snapshot: SourceSnapshot,
  memberships: PlannedMembership[],
): Promise<Map<string, string>> {
  const ids = [
    ...new Set(memberships.flatMap((m) => [...m.add, ...m.remove, ...(m.held ?? []).map((h) => h.memberSourceId)])),
  ];
  const names = new Map<string, string>();
  // A page at a time: a first cycle's members are most of the tenant, and only their names are kept.
  const slices = timeSlices();
  for (let i = 0; i < ids.length; i += USER_BATCH) {
    await slices.pause();
    for (const u of mirrorObjects(db, profile, snapshot, "user", ids.slice(i, i + USER_BATCH)))
      names.set(u.id, String(u.attributes.userPrincipalName ?? displayNameOf(u)));
  }
  return names;
}

/** A change of rules or scope settings costs a full evaluation: said once in the cycle's log, with why. */
function logFullEvaluation(log: ReturnType<typeof createLogger>, evaluation: Evaluation): void {
  const message =
    `Every object was evaluated again (${evaluation.users} users, ${evaluation.groups} groups): the mappings, scoping ` +
    "filters or scope settings changed since the last cycle. Later cycles evaluate only what changes.";
  log({
    objectType: "cycle",
    sourceId: "",
    targetId: null,
    displayName: "Rules changed",
    action: "Other",
    status: "Success",
    modified: [],
    steps: [{ name: "Evaluate", status: "Success", detail: message }],
    message,
  });
}
