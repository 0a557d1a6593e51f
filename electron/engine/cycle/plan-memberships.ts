import type { LinkIndex, MembershipEscrowEntry } from "../db";
import type { SourceObject } from "../db/types";
import { displayNameOf } from "./evaluate";
import type { ObjectWork } from "./plan-objects";
import { emptyPresence, notePresence, type Presence } from "./presence";
import type { HeldMember, PlannedMembership, ScopeDecision } from "./types";
import { timeSlices } from "./time-slices";

export interface MembershipPlanInput {
  /** The groups to plan: every group, or those whose memberships can have changed. */
  groups: Iterable<SourceObject>;
  groupScope: (group: SourceObject) => ScopeDecision;
  groupLinks: LinkIndex;
  userLinks: LinkIndex;
  /** What the users' works change about which users exist in the target. */
  users: Presence;
  groupWorks: ObjectWork[];
  /** group source id → member source id → member target id, per our last export. */
  exportedMembers: Map<string, Map<string, string>>;
  /** Groups whose members alone changed in Entra: only these members are compared (and loaded in exportedMembers). */
  changesOnly: Map<string, Set<string>>;
  /** How many members each group had compared. */
  onCompared: (members: number) => void;
  /** Refused changes still in escrow, for the groups whose escrow applies this cycle. */
  membershipEscrow: Map<string, Map<string, MembershipEscrowEntry>>;
  now: Date;
}

/** Splits a group's changes into those to send and those whose refusal is still in its back-off. */
function holdBack(
  ids: string[],
  op: "add" | "remove",
  escrow: Map<string, MembershipEscrowEntry> | undefined,
  now: Date,
): { send: string[]; held: HeldMember[] } {
  if (!escrow) return { send: ids, held: [] };
  const send: string[] = [];
  const held: HeldMember[] = [];
  for (const id of ids) {
    const e = escrow.get(id);
    if (!e || e.op !== op || Date.parse(e.retryAfter) <= now.getTime()) send.push(id);
    else
      held.push({
        memberSourceId: id,
        op,
        errorCode: e.errorCode,
        message: e.lastError,
        recommendation: e.recommendation,
        retryAfter: e.retryAfter,
      });
  }
  return { send, held };
}

/**
 * Membership changes per group: the direct user members of each in-scope group that exist in the target, against
 * what the target holds per our last export. A group created (or re-created) now starts from no members.
 */
export async function planMemberships(input: MembershipPlanInput): Promise<PlannedMembership[]> {
  const groupsPlanned = notePresence(emptyPresence(), input.groupWorks).planned;
  const groupExists = (id: string) => groupsPlanned.get(id) ?? input.groupLinks.get(id) !== undefined;
  const recreatedUsers = input.users.recreated;
  // A stale link that matched another existing group is adopted with that group's members, not started empty.
  const fresh = new Set(
    input.groupWorks.filter((w) => w.action?.action === "Create" || (w.staleLink && !w.link)).map((w) => w.sourceId),
  );
  const plans: PlannedMembership[] = [];
  // Planned while users are applied (a real run): the target's answers are read between slices.
  const slices = timeSlices();
  for (const group of input.groups) {
    await slices.pause();
    if (input.groupScope(group).softDeleted || !groupExists(group.id)) continue;
    const only = input.changesOnly.get(group.id);
    const members = (group.members ?? [])
      .filter((m) => m.type === "user" && (!only || only.has(m.id)))
      .map((m) => m.id);
    // Whether a member will exist in the target once the object actions ran: per its work, else per its link.
    const linked = input.userLinks.targets(members);
    const desired = new Set(members.filter((id) => input.users.planned.get(id) ?? linked.has(id)));
    const current = fresh.has(group.id)
      ? new Map<string, string>()
      : (input.exportedMembers.get(group.id) ?? new Map<string, string>());
    const add = [...desired].filter((id) => {
      const held = current.get(id);
      const targetId = linked.get(id);
      // A user re-created in the target has a new id: its membership has to be added again.
      return held === undefined || recreatedUsers.has(id) || (targetId !== undefined && held !== targetId);
    });
    const remove = [...current.keys()].filter((id) => !desired.has(id));
    input.onCompared(members.length + remove.length);
    const escrow = input.membershipEscrow.get(group.id);
    const adds = holdBack(add, "add", escrow, input.now);
    const removes = holdBack(remove, "remove", escrow, input.now);
    const held = [...adds.held, ...removes.held];
    if (adds.send.length || removes.send.length || held.length)
      plans.push({
        groupSourceId: group.id,
        displayName: displayNameOf(group),
        add: adds.send,
        remove: removes.send,
        ...(held.length ? { held } : {}),
      });
  }
  return plans;
}
