import type { Rules } from "../../../shared/config/mappings";
import type { Profile } from "../../../shared/config/profile";
import type { SourceObject } from "../db/types";
import { explainUserScope, type ScopeExplanation, type ScopeInput } from "./scope";
import { groupIdsByName, readAssignments, scopeGroupsForUser, type GraphClient } from "../source";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The engine's scope decision for one user read live from Graph, with every step: provision on demand, "Test with a
 * user" and the expression editor's IsSoftDeleted. Only what decides this user is read (the app's assignments, the
 * scoped groups and, when nesting is followed, the groups nested in them), then the cycle's own decision runs on it.
 */
export async function liveUserScope(
  graph: GraphClient,
  profile: Profile,
  rules: Rules,
  user: SourceObject,
): Promise<ScopeExplanation> {
  const scope = profile.source.scope;
  let assignments: ScopeInput["assignments"] = null;
  let roots: string[] = [];
  if (scope === "assigned") {
    assignments = await readAssignments(graph, profile.source.appId, profile.source.tenantId);
    roots = [...assignments.groupIds];
  } else if (scope !== "all") {
    const ids = scope.groups.filter((g) => GUID.test(g));
    roots = [
      ...ids,
      ...(await groupIdsByName(
        graph,
        scope.groups.filter((g) => !GUID.test(g)),
      )),
    ];
  }
  // Nested groups are read even when scope does not follow them, so the answer can say "only through nesting".
  const groups = user.removed ? [] : await scopeGroupsForUser(graph, user.id, roots, true);
  const input: ScopeInput = {
    users: new Map([[user.id, user]]),
    groups: new Map(
      groups.map((g): [string, SourceObject] => [
        g.id,
        { type: "group", id: g.id, attributes: { displayName: g.displayName }, members: g.members, removed: null },
      ]),
    ),
    assignments,
  };
  return explainUserScope(profile, rules, input, user.id);
}
