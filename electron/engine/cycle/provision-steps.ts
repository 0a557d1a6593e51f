import type { LogEntry } from "../../../shared/ipc/model";
import type { ProvisionStep } from "../../../shared/ipc/provision-model";
import { finishCycle, getLink, linkIndex, loadEscrow, loadExported, startCycle } from "../db";
import type { SourceObject } from "../db/types";
import { errorKind, type EngineErrorKind } from "../service/errors";
import { getUser } from "../source";
import { applyPlan, logPlanFailure, type ApplyContext } from "./apply";
import { createLogger } from "./log";
import { planObjects, type ObjectWork } from "./plan-objects";
import { sourceSelect } from "./read";
import type { CycleDeps, PlannedAction, PlannedFailure, ScopeDecision } from "./types";
import { liveUserScope } from "./user-scope";

type StepName = ProvisionStep["name"];

/** "in scope" as a sentence: "In scope." */
export const sentence = (text: string) =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`;

/** What every provision-on-demand result carries: the steps, its cycle row and why it stopped, if it did. */
export interface OnDemandResult {
  steps: ProvisionStep[];
  cycleId: number;
  failureKind: EngineErrorKind | null;
}

/** One provision-on-demand run: its own cycle row and log, and where an unexpected error is reported. */
export interface OnDemand {
  deps: CycleDeps;
  now: () => Date;
  ctx: ApplyContext;
  /** Marks the step running now, in the list of steps it belongs to: an error thrown from here on fails that step. */
  at(steps: ProvisionStep[], name: StepName): void;
  /** Ends the run on a failed step. */
  fail(steps: ProvisionStep[], name: StepName, detail: string, kind: EngineErrorKind): void;
}

/**
 * Runs `body` as one provision-on-demand "cycle": recorded with its counts and requests like any cycle, its log
 * entries written as it goes, an error thrown anywhere reported as the failure of the step running then.
 */
export async function runOnDemand<R extends OnDemandResult>(
  deps: CycleDeps,
  make: (cycleId: number) => R,
  body: (run: OnDemand, result: R) => Promise<void>,
): Promise<R> {
  const { db, profile, graph, scim } = deps;
  const now = deps.now ?? (() => new Date());
  const cycle = startCycle(db, profile.name, "incremental", false, now());
  const requestsBefore = { graph: graph.requestCount, target: scim.requestCount };
  const result = make(cycle.id);
  let current: { steps: ProvisionStep[]; name: StepName } = { steps: result.steps, name: "Test connection" };
  const run: OnDemand = {
    deps,
    now,
    ctx: {
      db,
      profile: profile.name,
      scim,
      dryRun: false,
      now,
      log: createLogger(db, profile.name, cycle.id, now, deps.onLog),
      counts: cycle.counts,
      concurrency: 1,
      membershipBatchSize: profile.target.membershipBatchSize,
      exportedMembers: new Map(),
      onProgress: () => {},
    },
    at: (steps, name) => (current = { steps, name }),
    fail(steps, name, detail, kind) {
      // A step already reported (an action followed by group memberships) fails in place rather than twice.
      const last = steps.at(-1);
      if (last?.name === name) Object.assign(last, { status: "Failure", detail: `${last.detail} ${detail}` });
      else steps.push({ name, status: "Failure", detail });
      cycle.outcome = "failed";
      cycle.error = detail;
      result.failureKind = kind;
    },
  };
  try {
    await body(run, result);
    if (cycle.outcome !== "failed")
      cycle.outcome =
        cycle.counts.users.failed + cycle.counts.groups.failed > 0 ? "completedWithFailures" : "succeeded";
  } catch (error) {
    run.fail(current.steps, current.name, error instanceof Error ? error.message : String(error), errorKind(error));
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
  return result;
}

/** The last log entry written while `work` ran (the entry of the object it applied). */
export async function loggedBy(ctx: ApplyContext, work: () => Promise<void>): Promise<LogEntry | null> {
  const log = ctx.log;
  let entry: LogEntry | null = null;
  ctx.log = (input) => (entry = log(input));
  try {
    await work();
  } finally {
    ctx.log = log;
  }
  return entry;
}

/** Step 1: the target answers a filtered GET with this token. False when it does not (the step says why). */
export async function testConnectionStep(run: OnDemand, steps: ProvisionStep[]): Promise<boolean> {
  run.at(steps, "Test connection");
  const checks = await run.deps.scim.testConnection();
  const failed = checks.find((c) => !c.ok);
  if (failed) {
    run.fail(steps, "Test connection", failed.message, failed.refused ? "auth" : "other");
    return false;
  }
  steps.push({ name: "Test connection", status: "Success", detail: checks.map((c) => c.message).join(" ") });
  return true;
}

export interface MatchOutcome {
  work: ObjectWork | undefined;
  failure: PlannedFailure | undefined;
}

/** Step 4: how the object is found in the target (its link, a match by the matching attribute, or nothing). */
export async function matchStep(
  run: OnDemand,
  steps: ProvisionStep[],
  object: SourceObject,
  scope: ScopeDecision,
): Promise<MatchOutcome> {
  const { db, profile, rules, scim } = run.deps;
  const name = object.type === "user" ? "Match user" : "Match group";
  run.at(steps, name);
  const links = linkIndex(db, profile.name, object.type);
  const plan = await planObjects({
    profile,
    rules,
    scim,
    type: object.type,
    objects: [object],
    scope: new Map([[object.id, scope]]),
    links,
    exported: loadExported(db, profile.name, object.type, [object.id]),
    listing: null,
    escrow: loadEscrow(db, profile.name),
    now: run.now(),
    ignoreEscrow: true,
  });
  const work = plan.works[0];
  const failure = plan.failures[0];
  const link = links.get(object.id);
  const detail = failure
    ? failure.message
    : link
      ? `Linked to ${link.targetId} in the target.`
      : work?.link
        ? `Found ${work.link.targetId} in the target by ${work.link.matchedBy}: it is linked.`
        : scope.softDeleted
          ? `Not looked up: a ${object.type} out of scope (or disabled) is never created.`
          : "No match in the target.";
  steps.push({ name, status: failure ? "Failure" : "Success", detail });
  return { work, failure };
}

/** Step 5's work: the object created, updated, disabled or linked exactly as a cycle would; its log entry. */
export async function performAction(
  run: OnDemand,
  steps: ProvisionStep[],
  { work, failure }: MatchOutcome,
): Promise<LogEntry | null> {
  run.at(steps, "Perform action");
  const { ctx } = run;
  return loggedBy(ctx, async () => {
    if (failure) logPlanFailure(ctx, failure);
    else if (work?.type === "user") await applyPlan(ctx, [work], [], [], new Map());
    else if (work) await applyPlan(ctx, [], [work], [], new Map());
  });
}

const DONE: Partial<Record<LogEntry["action"], string>> = {
  Create: "Created",
  Update: "Updated",
  Disable: "Disabled",
  Delete: "Deleted",
};

/** What the action did, in words ("Created in the target."), or the entry's own message. */
export function entryText(entry: LogEntry): string {
  const text =
    entry.message ??
    (entry.status === "Success" && DONE[entry.action]
      ? `${DONE[entry.action]} in the target`
      : `${entry.action}: ${entry.status}`);
  return sentence(text);
}

export interface UserOutcome {
  user: SourceObject;
  scope: ScopeDecision;
  action: PlannedAction | null;
  entry: LogEntry | null;
  /** The "Perform action" step, to which the caller adds what it did next (groups). */
  actionStep: ProvisionStep;
  /** The user exists (enabled) in the target now: it can be added to groups. */
  inTarget: boolean;
}

/**
 * Steps 2 to 5 for one user: import, scope with every rule, match, and the action. The same for a user provisioned on
 * its own and for each member provisioned with a group. null when Entra has no such user (the import step says so).
 */
export async function provisionUserSteps(
  run: OnDemand,
  steps: ProvisionStep[],
  idOrUpn: string,
): Promise<UserOutcome | null> {
  const { db, profile, rules, graph } = run.deps;
  run.at(steps, "Import user");
  const attributes = await getUser(graph, idOrUpn, sourceSelect(rules).users);
  if (!attributes) {
    run.fail(
      steps,
      "Import user",
      `Entra ID has no user "${idOrUpn}" (looked up by object id or user principal name). Check the name and search again.`,
      "notFound",
    );
    return null;
  }
  const id = String(attributes.id);
  const user: SourceObject = { type: "user", id, attributes, removed: null };
  steps.push({
    name: "Import user",
    status: "Success",
    detail: `${String(attributes.displayName ?? id)} (${String(attributes.userPrincipalName ?? id)})`,
  });

  run.at(steps, "Determine scope");
  // The engine's one scope decision, on what decides this user read live from Entra.
  const explained = await liveUserScope(graph, profile, rules, user);
  const scope = explained.decision;
  steps.push({
    name: "Determine scope",
    status: scope.inScope ? "Success" : "Skipped",
    detail: sentence(scope.reason),
    rules: explained.steps.map((r) => ({ step: r.step, outcome: r.outcome, message: r.message })),
  });

  const match = await matchStep(run, steps, user, scope);
  const entry = await performAction(run, steps, match);
  const actionStep: ProvisionStep = {
    name: "Perform action",
    status: entry?.status ?? "Skipped",
    detail: entry
      ? entryText(entry)
      : scope.softDeleted
        ? `Nothing to do: ${scope.reason}.`
        : "Nothing to do: the target already holds these values.",
    requestIds: entry?.requestIds ?? [],
  };
  steps.push(actionStep);
  return {
    user,
    scope,
    action: match.work?.action ?? null,
    entry,
    actionStep,
    inTarget: scope.inScope && !scope.softDeleted && !!getLink(db, profile.name, "user", id),
  };
}
