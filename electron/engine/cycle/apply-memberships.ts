import {
  clearMembershipEscrow,
  deleteLink,
  escrowFailure,
  escrowMemberships,
  getLink,
  linkedTargets,
  recordMembershipChange,
  replaceGroupMembers,
} from "../db";
import { membershipOperations, ScimError } from "../target";
import { isFatal, type ApplyContext } from "./apply";
import { CycleCancelledError, throwIfCancelled } from "./cancel";
import { errorFields } from "./log";
import type { HeldMember, PlannedMembership } from "./types";

interface Member {
  sourceId: string;
  targetId: string;
}

interface Change {
  m: Member;
  adding: boolean;
}

interface Refused {
  change: Change;
  error: ScimError;
}

/** Removes first: they free room in a group the target caps before adds need it. */
function batches(add: Member[], remove: Member[], size: number): Change[][] {
  const all = [...remove.map((m) => ({ m, adding: false })), ...add.map((m) => ({ m, adding: true }))];
  const out: Change[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

/** A refusal about the request itself (4xx other than token, permission, missing group, throttling). */
const isRefusal = (error: unknown): error is ScimError => error instanceof ScimError && error.kind === "invalid";

/**
 * Sends a group's member changes in batches. A refused batch is split in halves and retried down to single members,
 * so one member the target will not take does not keep the others out. Once a single add is refused for the group's
 * member limit, the adds still to come are refused with it without being sent: the group is full. Any other error
 * (outage, throttling, a missing group) stops the group's changes as before.
 */
async function sendChanges(
  ctx: ApplyContext,
  m: PlannedMembership,
  groupTargetId: string,
  chunks: Change[][],
): Promise<{ added: Member[]; removed: Member[]; refused: Refused[]; failure?: unknown }> {
  const added: Member[] = [];
  const removed: Member[] = [];
  const refused: Refused[] = [];
  let full: ScimError | undefined;

  const send = async (chunk: Change[]): Promise<void> => {
    throwIfCancelled(ctx.signal); // a bisect may take many requests: the admin's cancel stops it between them
    if (full) {
      for (const c of chunk.filter((x) => x.adding)) refused.push({ change: c, error: full });
      chunk = chunk.filter((x) => !x.adding);
      if (chunk.length === 0) return;
    }
    const [ops = []] = membershipOperations(
      chunk.filter((c) => c.adding).map((c) => c.m.targetId),
      chunk.filter((c) => !c.adding).map((c) => c.m.targetId),
      ctx.scim.dialect,
      chunk.length,
    );
    try {
      await ctx.scim.patch("Groups", groupTargetId, ops);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      if (chunk.length === 1) {
        refused.push({ change: chunk[0]!, error });
        if (chunk[0]!.adding && error.code === "GroupMemberLimit") full = error;
        return;
      }
      const half = Math.ceil(chunk.length / 2);
      await send(chunk.slice(0, half));
      await send(chunk.slice(half));
      return;
    }
    const adds = chunk.filter((c) => c.adding).map((c) => c.m);
    const removes = chunk.filter((c) => !c.adding).map((c) => c.m);
    recordMembershipChange(
      ctx.db,
      ctx.profile,
      m.groupSourceId,
      adds,
      removes.map((x) => x.sourceId),
    );
    clearMembershipEscrow(
      ctx.db,
      ctx.profile,
      m.groupSourceId,
      chunk.map((c) => c.m.sourceId),
    );
    added.push(...adds);
    removed.push(...removes);
  };

  try {
    for (const chunk of chunks) await send(chunk);
    return { added, removed, refused };
  } catch (failure) {
    return { added, removed, refused, failure };
  }
}

/** One log entry per distinct refusal, naming every member it kept out and quoting the target. */
function logRefusals(
  ctx: ApplyContext,
  m: PlannedMembership,
  groupTargetId: string,
  refused: Refused[],
  name: (id: string) => string,
): void {
  const byError = new Map<string, Refused[]>();
  for (const r of refused) {
    const key = `${r.error.code}\n${r.error.message}\n${r.error.detail ?? ""}`;
    byError.set(key, [...(byError.get(key) ?? []), r]);
  }
  for (const group of byError.values()) {
    const { error } = group[0]!;
    const fields = errorFields(error);
    const adds = group.filter((r) => r.change.adding).map((r) => name(r.change.m.sourceId));
    const removes = group.filter((r) => !r.change.adding).map((r) => name(r.change.m.sourceId));
    escrowMemberships(
      ctx.db,
      ctx.profile,
      m.groupSourceId,
      group.map((r) => ({ sourceId: r.change.m.sourceId, op: r.change.adding ? "add" : "remove" })),
      {
        errorCode: fields.errorCode ?? error.code,
        message: fields.message ?? error.message,
        recommendation: fields.recommendation,
        lasting: error.lasting,
      },
      ctx.now(),
    );
    ctx.log({
      objectType: "group",
      sourceId: m.groupSourceId,
      targetId: groupTargetId,
      displayName: m.displayName,
      action: "Update",
      status: "Failure",
      modified: [
        ...(adds.length ? [{ attribute: "members (refused to add)", old: null, new: adds }] : []),
        ...(removes.length ? [{ attribute: "members (refused to remove)", old: removes, new: null }] : []),
      ],
      steps: [
        {
          name: "Provision",
          status: "Failure",
          detail: `${group.length} member change${group.length === 1 ? "" : "s"} refused; ${
            error.lasting ? "held in escrow until the back-off is due" : "retried next cycle"
          }`,
        },
      ],
      ...fields,
    });
  }
}

/** Refused changes still in their back-off: nothing is sent, and the known cause stays visible in each real cycle's log. */
function logHeld(ctx: ApplyContext, m: PlannedMembership, held: HeldMember[], name: (id: string) => string): void {
  const first = held[0]!;
  const adds = held.filter((h) => h.op === "add").map((h) => name(h.memberSourceId));
  const removes = held.filter((h) => h.op === "remove").map((h) => name(h.memberSourceId));
  const next = held.map((h) => h.retryAfter).sort()[0]!;
  // Counted in the cycle summary as skipped: the dashboard shows the group as a known, not a new, failure.
  ctx.counts.groups.skipped++;
  ctx.log({
    objectType: "group",
    sourceId: m.groupSourceId,
    targetId: null,
    displayName: m.displayName,
    action: "Update",
    status: "Skipped",
    modified: [
      ...(adds.length ? [{ attribute: "members (held: refused to add)", old: null, new: adds }] : []),
      ...(removes.length ? [{ attribute: "members (held: refused to remove)", old: removes, new: null }] : []),
    ],
    steps: [
      {
        name: "Provision",
        status: "Skipped",
        detail: `${held.length} member change${held.length === 1 ? "" : "s"} the target refused; not sent again before ${next}`,
      },
    ],
    errorCode: first.errorCode,
    message: first.message,
    recommendation: first.recommendation,
  });
}

/**
 * One group's membership changes as batched PATCHes that reference the members' target ids. Each accepted batch
 * is recorded at once (committed with the wave's others, group-commit.ts), so a failure part-way leaves an exact
 * record of what the target holds.
 */
export async function applyMemberships(
  ctx: ApplyContext,
  m: PlannedMembership,
  displayNames: Map<string, string>,
): Promise<void> {
  const { db, profile } = ctx;
  const exported = ctx.exportedMembers.get(m.groupSourceId);
  // A dry run counts what it would send (held changes as the group's skip) and logs nothing per group: the changes are
  // its plan, and the log gets one summary entry (applyPlan).
  if (ctx.dryRun) {
    if (m.held?.length) ctx.counts.groups.skipped++;
    ctx.counts.memberships.added += m.add.length;
    ctx.counts.memberships.removed += m.remove.filter((id) => exported?.get(id)).length;
    return;
  }
  const groupLink = getLink(db, profile, "group", m.groupSourceId);
  const name = (id: string) => displayNames.get(id) ?? id;
  if (m.held?.length) logHeld(ctx, m, m.held, name);
  // Users whose create failed have no target id yet: they are added in a later cycle.
  const linked = linkedTargets(db, profile, "user", m.add);
  const add = m.add.flatMap((id) => {
    const targetId = linked.get(id);
    return targetId ? [{ sourceId: id, targetId }] : [];
  });
  const remove = m.remove.flatMap((id) => {
    const targetId = exported?.get(id);
    return targetId ? [{ sourceId: id, targetId }] : [];
  });
  if (!groupLink || add.length + remove.length === 0) return;
  const names = (members: Member[]) => members.map((x) => name(x.sourceId));
  const { added, removed, refused, failure } = await sendChanges(
    ctx,
    m,
    groupLink.targetId,
    batches(add, remove, ctx.membershipBatchSize),
  );
  ctx.counts.memberships.added += added.length;
  ctx.counts.memberships.removed += removed.length;
  // A refused token or a cancel ends the cycle: what went through is recorded, the rest is for the next cycle.
  if (isFatal(failure) || failure instanceof CycleCancelledError) throw failure;
  if (refused.length) logRefusals(ctx, m, groupLink.targetId, refused, name);
  const fields = failure ? errorFields(failure) : undefined;
  if (failure instanceof ScimError && failure.kind === "notFound") deleteLink(db, profile, "group", m.groupSourceId);
  else if (failure)
    escrowFailure(db, profile, "group", m.groupSourceId, fields?.message ?? "membership update failed", ctx.now());
  if (failure || refused.length) ctx.counts.groups.failed++;
  // Everything was refused: the refusal entries say all there is.
  if (!failure && refused.length && added.length + removed.length === 0) return;
  const status = failure ? "Failure" : "Success";
  ctx.log({
    objectType: "group",
    sourceId: m.groupSourceId,
    targetId: groupLink.targetId,
    displayName: m.displayName,
    action: "Update",
    status,
    modified: [
      ...(added.length ? [{ attribute: "members (added)", old: null, new: names(added) }] : []),
      ...(removed.length ? [{ attribute: "members (removed)", old: names(removed), new: null }] : []),
    ],
    steps: [
      {
        name: "Provision",
        status,
        detail: `${added.length} added, ${removed.length} removed${refused.length ? `, ${refused.length} refused` : ""}`,
      },
    ],
    ...fields,
  });
}

/**
 * Records the members read from groups matched this cycle once their links are recorded, so later cycles diff against
 * what the target held rather than against nothing.
 */
export function recordAdoptedMembers(ctx: ApplyContext): void {
  if (ctx.dryRun || !ctx.adoptedMembers) return;
  for (const [groupSourceId, members] of ctx.adoptedMembers) {
    if (!getLink(ctx.db, ctx.profile, "group", groupSourceId)) continue;
    replaceGroupMembers(
      ctx.db,
      ctx.profile,
      groupSourceId,
      [...members].map(([sourceId, targetId]) => ({ sourceId, targetId })),
    );
  }
}
