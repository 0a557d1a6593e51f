import type { Link, SourceObject } from "../db/types";
import { displayNameOf } from "./evaluate";
import type { ObjectWork } from "./plan-objects";
import type { PlannedMembership, ScopeDecision } from "./types";

export interface MembershipPlanInput {
  groups: Map<string, SourceObject>;
  groupScope: Map<string, ScopeDecision>;
  groupLinks: Map<string, Link>;
  userLinks: Map<string, Link>;
  userWorks: ObjectWork[];
  groupWorks: ObjectWork[];
  /** group source id → member source id → member target id, per our last export. */
  exportedMembers: Map<string, Map<string, string>>;
}

/** Objects that will exist in the target once the object actions ran. */
function willExist(links: Map<string, Link>, works: ObjectWork[]): Set<string> {
  const exists = new Set<string>(links.keys());
  for (const w of works) {
    if (w.staleLink) exists.delete(w.sourceId);
    if (w.action?.action === "Delete") exists.delete(w.sourceId);
    else if (w.action?.action === "Create" || w.link) exists.add(w.sourceId);
  }
  return exists;
}

/**
 * Membership changes per group: the direct user members of each in-scope group that exist in the target, against
 * what the target holds per our last export. A group created (or re-created) now starts from no members.
 */
export function planMemberships(input: MembershipPlanInput): PlannedMembership[] {
  const users = willExist(input.userLinks, input.userWorks);
  const groups = willExist(input.groupLinks, input.groupWorks);
  const recreatedUsers = new Set(input.userWorks.filter((w) => w.staleLink).map((w) => w.sourceId));
  const fresh = new Set(
    input.groupWorks.filter((w) => w.action?.action === "Create" || w.staleLink).map((w) => w.sourceId),
  );
  const plans: PlannedMembership[] = [];
  for (const group of input.groups.values()) {
    const scope = input.groupScope.get(group.id);
    if (!scope || scope.softDeleted || !groups.has(group.id)) continue;
    const desired = new Set((group.members ?? []).filter((m) => m.type === "user" && users.has(m.id)).map((m) => m.id));
    const current = fresh.has(group.id)
      ? new Map<string, string>()
      : (input.exportedMembers.get(group.id) ?? new Map<string, string>());
    const add = [...desired].filter((id) => {
      const held = current.get(id);
      const link = input.userLinks.get(id);
      // A user re-created in the target has a new id: its membership has to be added again.
      return held === undefined || recreatedUsers.has(id) || (link !== undefined && held !== link.targetId);
    });
    const remove = [...current.keys()].filter((id) => !desired.has(id));
    if (add.length || remove.length)
      plans.push({ groupSourceId: group.id, displayName: displayNameOf(group), add, remove });
  }
  return plans;
}
