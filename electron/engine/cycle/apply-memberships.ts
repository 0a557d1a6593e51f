import { deleteLink, escrowFailure, getLink, recordMembershipChange } from "../db";
import { membershipOperations, ScimError } from "../target";
import type { ApplyContext } from "./apply";
import { errorFields } from "./log";
import type { PlannedMembership } from "./types";

interface Member {
  sourceId: string;
  targetId: string;
}

function batches(add: Member[], remove: Member[], size: number): { add: Member[]; remove: Member[] }[] {
  const all = [...add.map((m) => ({ m, adding: true })), ...remove.map((m) => ({ m, adding: false }))];
  const out: { add: Member[]; remove: Member[] }[] = [];
  for (let i = 0; i < all.length; i += size) {
    const chunk = all.slice(i, i + size);
    out.push({
      add: chunk.filter((c) => c.adding).map((c) => c.m),
      remove: chunk.filter((c) => !c.adding).map((c) => c.m),
    });
  }
  return out;
}

/**
 * One group's membership changes as batched PATCHes that reference the members' target ids. Each accepted batch
 * is recorded at once, so a failure part-way leaves an exact record of what the target holds.
 */
export async function applyMemberships(
  ctx: ApplyContext,
  m: PlannedMembership,
  displayNames: Map<string, string>,
): Promise<void> {
  const { db, profile } = ctx;
  const groupLink = getLink(db, profile, "group", m.groupSourceId);
  const held = ctx.exportedMembers.get(m.groupSourceId);
  // Users whose create failed have no target id yet: they are added in a later cycle.
  const add = m.add.flatMap((id) => {
    const targetId = ctx.dryRun ? id : getLink(db, profile, "user", id)?.targetId;
    return targetId ? [{ sourceId: id, targetId }] : [];
  });
  const remove = m.remove.flatMap((id) => {
    const targetId = held?.get(id);
    return targetId ? [{ sourceId: id, targetId }] : [];
  });
  if ((!groupLink && !ctx.dryRun) || add.length + remove.length === 0) return;
  const name = (members: Member[]) => members.map((x) => displayNames.get(x.sourceId) ?? x.sourceId);
  let added: Member[] = [];
  let removed: Member[] = [];
  let failure: unknown;
  if (!ctx.dryRun) {
    for (const batch of batches(add, remove, ctx.membershipBatchSize)) {
      const [ops = []] = membershipOperations(
        batch.add.map((x) => x.targetId),
        batch.remove.map((x) => x.targetId),
        ctx.scim.dialect,
        ctx.membershipBatchSize,
      );
      try {
        await ctx.scim.patch("Groups", groupLink!.targetId, ops);
      } catch (error) {
        failure = error;
        break;
      }
      recordMembershipChange(
        db,
        profile,
        m.groupSourceId,
        batch.add,
        batch.remove.map((x) => x.sourceId),
      );
      added = added.concat(batch.add);
      removed = removed.concat(batch.remove);
    }
  } else {
    added = add;
    removed = remove;
  }
  ctx.counts.memberships.added += added.length;
  ctx.counts.memberships.removed += removed.length;
  const fields = failure ? errorFields(failure) : undefined;
  if (failure instanceof ScimError && failure.kind === "notFound") deleteLink(db, profile, "group", m.groupSourceId);
  else if (failure)
    escrowFailure(db, profile, "group", m.groupSourceId, fields?.message ?? "membership update failed", ctx.now());
  if (failure) ctx.counts.groups.failed++;
  const status = failure ? "Failure" : ctx.dryRun ? "Skipped" : "Success";
  ctx.log({
    objectType: "group",
    sourceId: m.groupSourceId,
    targetId: groupLink?.targetId ?? null,
    displayName: m.displayName,
    action: "Update",
    status,
    modified: [
      ...(added.length ? [{ attribute: "members (added)", old: null, new: name(added) }] : []),
      ...(removed.length ? [{ attribute: "members (removed)", old: name(removed), new: null }] : []),
    ],
    steps: [
      {
        name: "Provision",
        status,
        detail: ctx.dryRun ? "Dry run: not applied." : `${added.length} added, ${removed.length} removed`,
      },
    ],
    ...fields,
  });
}
