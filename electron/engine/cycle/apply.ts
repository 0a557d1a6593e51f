import type { Database } from "better-sqlite3";
import type { CycleSummary, LogEntry } from "../../../shared/ipc/model";
import {
  atomically,
  clearEscrow,
  deleteIntent,
  deleteLink,
  escrowFailure,
  getLink,
  putExported,
  putLink,
  type Intent,
} from "../db";
import { requestIds, type RequestTrace } from "../http";
import type { ObjectType, TargetValues } from "../db/types";
import { ScimError, toPatchOperations, toScimResource, type ScimClient } from "../target";
import { CycleCancelledError, throwIfCancelled } from "./cancel";
import { diffValues } from "./diff";
import { groupCommit, type GroupCommit } from "./group-commit";
import { errorFields, type CycleLogger } from "./log";
import { previewEntry } from "../logs/preview-entry";
import { applyMemberships, recordAdoptedMembers } from "./apply-memberships";
import { resourceType, targetValues, type TargetResource } from "./match";
import type { ObjectWork } from "./plan-objects";
import type { PlannedFailure, PlannedMembership } from "./types";

export interface ApplyContext {
  db: Database;
  profile: string;
  scim: ScimClient;
  dryRun: boolean;
  now: () => Date;
  log: CycleLogger;
  counts: CycleSummary["counts"];
  concurrency: number;
  membershipBatchSize: number;
  /** group source id → member source id → member target id. */
  exportedMembers: Map<string, Map<string, string>>;
  /** Members read from groups matched this cycle (adoption). */
  adoptedMembers?: Map<string, Map<string, string>>;
  /** Changes applied of the changes planned. */
  onProgress: (done: number, total: number) => void;
  /** The admin's cancel: objects not started yet are left alone. */
  signal?: AbortSignal;
  /** Set by an error that ends the cycle; objects not started yet are left alone. */
  fatal?: unknown;
}

type Counts = CycleSummary["counts"]["users"];
const countsOf = (ctx: ApplyContext, type: ObjectType): Counts =>
  type === "user" ? ctx.counts.users : ctx.counts.groups;

const COUNT_KEY = {
  Create: "create",
  Update: "update",
  Disable: "disable",
  Delete: "delete",
  StagedDelete: "stagedDelete",
} as const;

function logWork(
  ctx: ApplyContext,
  w: ObjectWork,
  status: LogEntry["status"],
  targetId: string | null,
  extra: Partial<LogEntry> = {},
  action: LogEntry["action"] = w.action?.action ?? "Other",
): void {
  const planned = w.action;
  ctx.log({
    objectType: w.type,
    sourceId: w.sourceId,
    targetId,
    displayName: planned?.displayName ?? w.displayName ?? w.sourceId,
    action,
    status,
    modified: planned?.changes ?? [],
    steps: [
      { name: "Determine scope", status: "Success", detail: planned?.reason ?? "in scope" },
      {
        name: "Match",
        status: "Success",
        detail: w.link ? `matched by ${w.link.matchedBy}` : targetId ? "linked" : "no match",
      },
      {
        name: "Provision",
        status,
        detail: extra.message ?? `${action} ${status === "Success" ? "done" : status.toLowerCase()}`,
      },
    ],
    ...extra,
  });
}

/** Errors that would fail every object alike: the cycle stops instead of escrowing everything. */
export const isFatal = (error: unknown) => error instanceof ScimError && error.kind === "unauthorized";

function fail(ctx: ApplyContext, w: ObjectWork, error: unknown, targetId: string | null): void {
  // A cancelled request was never sent: the object is neither failed nor escrowed, the next cycle takes it up.
  if (isFatal(error) || error instanceof CycleCancelledError) {
    ctx.fatal = error;
    throw error;
  }
  countsOf(ctx, w.type).failed++;
  const fields = errorFields(error);
  if (!ctx.dryRun)
    escrowFailure(ctx.db, ctx.profile, w.type, w.sourceId, fields.message ?? "failed", ctx.now(), {
      lasting: error instanceof ScimError && error.lasting,
    });
  logWork(ctx, w, "Failure", targetId, fields);
}

/** Stores an object's outcome, all of it or none: its link, what was exported, and its intent and escrow cleared. */
function recordSuccess(
  ctx: ApplyContext,
  w: ObjectWork,
  targetId: string,
  matchedBy: string | null,
  values: TargetValues,
): void {
  const { db, profile } = ctx;
  atomically(db, () => {
    if (matchedBy)
      putLink(db, profile, {
        type: w.type,
        sourceId: w.sourceId,
        targetId,
        matchedBy,
        created: ctx.now().toISOString(),
      });
    putExported(db, profile, w.type, w.sourceId, values, ctx.now());
    deleteIntent(db, profile, w.type, w.sourceId);
    clearEscrow(db, profile, w.type, w.sourceId);
  });
}

/** A 409 on create: the object exists already; find it by the matching value, link it and bring it up to date. */
async function linkAfterConflict(ctx: ApplyContext, w: ObjectWork, conflict: ScimError): Promise<void> {
  const found = w.match
    ? ((await ctx.scim.find(resourceType(w.type), w.match.path, w.match.value)) as TargetResource[])
    : [];
  if (found.length !== 1) {
    deleteIntent(ctx.db, ctx.profile, w.type, w.sourceId);
    return fail(ctx, w, conflict, null);
  }
  const resource = found[0]!;
  const changes = diffValues(w.values, null, targetValues(resource, Object.keys(w.values)));
  await ctx.scim.patch(
    resourceType(w.type),
    resource.id,
    toPatchOperations(
      changes.map((c) => ({ path: c.attribute, value: c.new })),
      ctx.scim.dialect,
    ),
  );
  recordSuccess(ctx, w, resource.id, `${w.match!.path} (after 409)`, w.values);
  countsOf(ctx, w.type).update++;
  logWork(
    ctx,
    { ...w, action: w.action && { ...w.action, changes } },
    "Success",
    resource.id,
    { errorCode: "Conflict", message: "Already in the target: linked and updated." },
    "Update",
  );
}

const intentOf = (ctx: ApplyContext, w: ObjectWork): Intent => ({
  type: w.type,
  sourceId: w.sourceId,
  action: "create",
  payload: { values: w.values, matchPath: w.match!.path, matchValue: w.match!.value },
  started: ctx.now().toISOString(),
});

async function create(ctx: ApplyContext, w: ObjectWork, commits: GroupCommit): Promise<void> {
  const { db, profile } = ctx;
  if (w.staleLink) deleteLink(db, profile, w.type, w.sourceId);
  // Committed before the POST: if the process dies before the answer, the next cycle finds the object instead of re-creating it.
  commits.intentBefore(w, (x) => intentOf(ctx, x));
  try {
    const created = await ctx.scim.create(resourceType(w.type), toScimResource(w.type, w.values));
    recordSuccess(ctx, w, created.id, "created", w.values);
    countsOf(ctx, w.type).create++;
    logWork(ctx, w, "Success", created.id);
  } catch (error) {
    if (error instanceof ScimError && error.kind === "conflict") {
      return linkAfterConflict(ctx, w, error).catch((e: unknown) => fail(ctx, w, e, null));
    }
    // A definite refusal created nothing; anything else may have, and the intent stays for a lookup next cycle.
    if (error instanceof ScimError && !error.mayHaveBeenApplied && error.kind !== "network")
      deleteIntent(db, profile, w.type, w.sourceId);
    fail(ctx, w, error, null);
  }
}

async function update(ctx: ApplyContext, w: ObjectWork, targetId: string, commits: GroupCommit): Promise<void> {
  const planned = w.action!;
  const changes =
    planned.action === "Disable"
      ? [{ path: "active", value: false }]
      : planned.changes.map((c) => ({ path: c.attribute, value: c.new }));
  try {
    await ctx.scim.patch(resourceType(w.type), targetId, toPatchOperations(changes, ctx.scim.dialect));
    recordSuccess(ctx, w, targetId, w.link?.matchedBy ?? null, w.values);
    countsOf(ctx, w.type)[planned.action === "Disable" ? "disable" : "update"]++;
    logWork(ctx, w, "Success", targetId);
  } catch (error) {
    if (!(error instanceof ScimError && error.kind === "notFound")) return fail(ctx, w, error, targetId);
    // InvalidAnchor: the object was removed in the target. Forget the link; re-create it if it should exist.
    deleteLink(ctx.db, ctx.profile, w.type, w.sourceId);
    if (planned.action === "Disable" || !w.match) {
      logWork(ctx, w, "Warning", null, errorFields(error));
      return;
    }
    const changes = Object.entries(w.values)
      .filter(([, v]) => v != null)
      .map(([attribute, v]) => ({ attribute, old: null, new: v }));
    await create(
      ctx,
      {
        ...w,
        link: undefined,
        action: {
          ...planned,
          action: "Create",
          targetId: null,
          changes,
          reason: "no longer in the target (InvalidAnchor)",
        },
      },
      commits,
    );
  }
}

async function remove(ctx: ApplyContext, w: ObjectWork, targetId: string): Promise<void> {
  try {
    await ctx.scim.delete(resourceType(w.type), targetId);
  } catch (error) {
    // Already gone is what a delete wants.
    if (!(error instanceof ScimError && error.kind === "notFound")) return fail(ctx, w, error, targetId);
  }
  deleteLink(ctx.db, ctx.profile, w.type, w.sourceId);
  clearEscrow(ctx.db, ctx.profile, w.type, w.sourceId);
  countsOf(ctx, w.type).delete++;
  logWork(ctx, w, "Success", targetId);
}

async function applyWork(w: ObjectWork, ctx: ApplyContext, commits: GroupCommit): Promise<void> {
  const kind = w.action?.action;
  // A dry run counts what it would do; the items are its plan, and the log gets one summary entry (applyPlan).
  if (ctx.dryRun) {
    if (kind) countsOf(ctx, w.type)[COUNT_KEY[kind]]++;
    return;
  }
  if (!kind) {
    recordSuccess(ctx, w, w.link!.targetId, w.link!.matchedBy, w.values);
    return logWork(ctx, w, "Success", w.link!.targetId, {
      message: `Matched the existing object by ${w.link!.matchedBy}; its values are already right.`,
    });
  }
  if (kind === "Create") return create(ctx, w, commits);
  const targetId =
    w.link?.targetId ?? w.action?.targetId ?? getLink(ctx.db, ctx.profile, w.type, w.sourceId)?.targetId ?? null;
  if (kind === "Delete") return remove(ctx, w, targetId!);
  if (kind === "StagedDelete") return void logWork(ctx, w, "Skipped", targetId);
  return update(ctx, w, targetId!, commits);
}

export function logPlanFailure(ctx: ApplyContext, f: PlannedFailure): void {
  (f.objectType === "user" ? ctx.counts.users : ctx.counts.groups).failed++;
  if (!ctx.dryRun) escrowFailure(ctx.db, ctx.profile, f.objectType, f.sourceId, f.message, ctx.now());
  ctx.log({
    objectType: f.objectType,
    sourceId: f.sourceId,
    targetId: null,
    displayName: f.displayName,
    action: "Other",
    status: "Failure",
    modified: [],
    steps: [{ name: "Match", status: "Failure", detail: f.message }],
    errorCode: f.errorCode,
    message: f.message,
    recommendation: f.recommendation,
  });
}

/** The context of one object's work: its requests are recorded, and its log entries quote their ids. */
export function tracedContext(ctx: ApplyContext, trace: RequestTrace = []): ApplyContext {
  return {
    ...ctx,
    scim: ctx.scim.traced(trace),
    log: (entry) => ctx.log(trace.length ? { ...entry, requestIds: requestIds(trace) } : entry),
  };
}

/**
 * Performs the plan: users (creates, updates, disables), then groups, then memberships (which need the users'
 * target ids), then group and user deletes. Each object's outcome is stored as soon as the target confirms it.
 * An error that ends the cycle (a refused token, a cancel) stops new objects from starting; those in flight are
 * waited for, so no request is answered after the cycle has closed.
 */
export async function applyPlan(
  ctx: ApplyContext,
  users: ObjectWork[],
  groups: ObjectWork[],
  memberships: PlannedMembership[],
  displayNames: Map<string, string>,
): Promise<void> {
  const isDelete = (w: ObjectWork) => w.action?.action === "Delete";
  const changes = [...users, ...groups].filter((w) => w.action).length + memberships.length;
  let applied = 0;
  // `concurrency` workers take the items in order: no promise per waiting item (100,000 of them in a large first cycle).
  const wave = async <T>(
    items: T[],
    apply: (item: T, ctx: ApplyContext) => Promise<void>,
    isChange: (item: T) => boolean,
  ) => {
    let next = 0;
    const worker = async () => {
      while (next < items.length && ctx.fatal === undefined && !ctx.signal?.aborted) {
        const item = items[next++]!;
        try {
          await apply(item, tracedContext(ctx));
        } catch (error) {
          ctx.fatal ??= error;
          return;
        }
        if (isChange(item)) ctx.onProgress(++applied, changes);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ctx.concurrency, items.length) }, worker));
    if (ctx.fatal !== undefined) throw ctx.fatal;
    throwIfCancelled(ctx.signal);
  };
  // Each wave's state writes are grouped into few transactions (group-commit.ts).
  const grouped = async <T>(
    items: T[],
    creates: ObjectWork[],
    apply: (item: T, ctx: ApplyContext, commits: GroupCommit) => Promise<void>,
    isChange: (item: T) => boolean,
  ) => {
    const commits = groupCommit(ctx.db, ctx.profile, creates);
    try {
      await wave(
        items,
        async (item, traced) => {
          await apply(item, traced, commits);
          commits.settle();
        },
        isChange,
      );
    } finally {
      commits.close();
    }
  };
  const objects = (works: ObjectWork[]) =>
    grouped(
      works,
      works.filter((w) => w.action?.action === "Create"),
      applyWork,
      (w) => w.action !== undefined,
    );
  ctx.onProgress(0, changes);
  await objects(users.filter((w) => !isDelete(w)));
  await objects(groups.filter((w) => !isDelete(w)));
  recordAdoptedMembers(ctx);
  await grouped(
    memberships,
    [],
    (m, traced) => applyMemberships(traced, m, displayNames),
    () => true,
  );
  await objects(groups.filter(isDelete));
  await objects(users.filter(isDelete));
  if (ctx.dryRun) ctx.log(previewEntry(ctx.counts));
}
