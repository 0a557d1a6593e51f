import type { Profile } from "../../../shared/config/profile";
import type { Rules } from "../../../shared/config/mappings";
import type { SourceObject } from "../db/types";
import { evaluateScoping } from "../rules";
import type { SourceSnapshot } from "./read";
import type { ScopeDecision } from "./types";
import { entraView } from "./source-view";

export interface ScopeResult {
  users: Map<string, ScopeDecision>;
  groups: Map<string, ScopeDecision>;
  /** In-scope users and groups that exist in Entra: the canary's measure. */
  inScopeCount: number;
}

/** User ids reached from these groups: direct members, or through nested groups when asked to. */
function membersOf(groupIds: Iterable<string>, groups: Map<string, SourceObject>, nested: boolean): Set<string> {
  const users = new Set<string>();
  const seen = new Set<string>();
  const queue = [...groupIds];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    const group = groups.get(id);
    if (!group || group.removed) continue;
    for (const m of group.members ?? []) {
      if (m.type === "user") users.add(m.id);
      else if (nested) queue.push(m.id);
    }
  }
  return users;
}

/** Which users and groups the profile's scope setting selects, before scoping filters. */
function candidates(
  profile: Profile,
  snapshot: SourceSnapshot,
): { users: Set<string> | "all"; groups: Set<string> | "all" } {
  const scope = profile.source.scope;
  const nested = profile.source.includeNestedGroups;
  if (scope === "all") return { users: "all", groups: "all" };
  let groupIds: Set<string>;
  let direct: Set<string>;
  if (scope === "assigned") {
    groupIds = snapshot.assignments?.groupIds ?? new Set();
    direct = snapshot.assignments?.userIds ?? new Set();
  } else {
    const picked = new Set(scope.groups.map((g) => g.toLowerCase()));
    groupIds = new Set(
      [...snapshot.groups.values()]
        .filter(
          (g) => picked.has(g.id.toLowerCase()) || picked.has(String(g.attributes.displayName ?? "").toLowerCase()),
        )
        .map((g) => g.id),
    );
    direct = new Set();
  }
  return { users: new Set([...direct, ...membersOf(groupIds, snapshot.groups, nested)]), groups: groupIds };
}

const inSet = (set: Set<string> | "all", id: string) => set === "all" || set.has(id);

function decide(
  object: SourceObject,
  selected: boolean,
  filters: Rules["users"]["scopingFilters"],
  selectedWhy: string,
): ScopeDecision {
  const purged = object.removed === "deleted";
  if (object.removed) {
    return {
      inScope: false,
      softDeleted: true,
      purged,
      reason: purged ? "permanently deleted in Entra" : "deleted in Entra (restorable)",
    };
  }
  if (!selected) return { inScope: false, softDeleted: true, purged, reason: selectedWhy };
  const scoping = evaluateScoping(filters, entraView(object, false));
  if (!scoping.inScope) return { inScope: false, softDeleted: true, purged, reason: `out of scope: ${scoping.reason}` };
  if (object.type === "user" && object.attributes.accountEnabled === false) {
    return { inScope: true, softDeleted: true, purged, reason: "account disabled in Entra" };
  }
  return { inScope: true, softDeleted: false, purged, reason: "in scope" };
}

/** Decides scope and Entra's IsSoftDeleted for every object of the mirror. */
export function decideScope(profile: Profile, rules: Rules, snapshot: SourceSnapshot): ScopeResult {
  const pick = candidates(profile, snapshot);
  const notSelected =
    profile.source.scope === "assigned" ? "not assigned to the app" : "not in the groups selected for provisioning";
  const users = new Map<string, ScopeDecision>();
  const groups = new Map<string, ScopeDecision>();
  let inScopeCount = 0;
  for (const user of snapshot.users.values()) {
    const d = decide(user, inSet(pick.users, user.id), rules.users.scopingFilters, notSelected);
    users.set(user.id, d);
    if (d.inScope) inScopeCount++;
  }
  for (const group of snapshot.groups.values()) {
    const selected = profile.target.provisionGroups && inSet(pick.groups, group.id);
    const d = decide(
      group,
      selected,
      rules.groups.scopingFilters,
      profile.target.provisionGroups ? notSelected : "group provisioning is off",
    );
    groups.set(group.id, d);
    if (d.inScope) inScopeCount++;
  }
  return { users, groups, inScopeCount };
}
