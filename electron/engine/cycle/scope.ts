import type { Profile } from "../../../shared/config/profile";
import type { Rules } from "../../../shared/config/mappings";
import type { ScopeStep } from "../../../shared/ipc/model";
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

/** What scope is decided from: the objects, and the app's assignments when scope is "assigned". */
export type ScopeInput = Pick<SourceSnapshot, "users" | "groups" | "assignments">;

/**
 * How the scope setting reaches a user: assigned directly, or through a chain of groups (the scoped group first, then
 * each nested group down to the one the user is a direct member of).
 */
type Route = { kind: "direct" } | { kind: "group"; chain: string[] };

/** Users reached from these groups, each with the shortest group chain: direct members, or through nested groups. */
function membersOf(
  groupIds: Iterable<string>,
  groups: ReadonlyMap<string, SourceObject>,
  nested: boolean,
): Map<string, Route> {
  const users = new Map<string, Route>();
  const seen = new Set<string>();
  const queue: string[][] = [...groupIds].map((id) => [id]);
  for (let i = 0; i < queue.length; i++) {
    const chain = queue[i]!;
    const id = chain[chain.length - 1]!;
    if (seen.has(id)) continue;
    seen.add(id);
    const group = groups.get(id);
    if (!group || group.removed) continue;
    for (const m of group.members ?? []) {
      if (m.type === "user") {
        if (!users.has(m.id)) users.set(m.id, { kind: "group", chain });
      } else if (nested) queue.push([...chain, m.id]);
    }
  }
  return users;
}

interface Selection {
  users: Map<string, Route> | "all";
  groups: Set<string> | "all";
  /** When nesting is not followed: the users only nested groups would bring in (computed once, when first asked). */
  nestedOnly(): ReadonlyMap<string, Route>;
}

/** Which users and groups the profile's scope setting selects, before scoping filters. */
function select(profile: Profile, input: ScopeInput): Selection {
  const scope = profile.source.scope;
  const nested = profile.source.includeNestedGroups;
  if (scope === "all") return { users: "all", groups: "all", nestedOnly: () => new Map() };
  let groupIds: Set<string>;
  const users = new Map<string, Route>();
  if (scope === "assigned") {
    groupIds = input.assignments?.groupIds ?? new Set();
    for (const id of input.assignments?.userIds ?? []) users.set(id, { kind: "direct" });
  } else {
    const picked = new Set(scope.groups.map((g) => g.toLowerCase()));
    groupIds = new Set(
      [...input.groups.values()]
        .filter(
          (g) => picked.has(g.id.toLowerCase()) || picked.has(String(g.attributes.displayName ?? "").toLowerCase()),
        )
        .map((g) => g.id),
    );
  }
  for (const [id, route] of membersOf(groupIds, input.groups, nested)) if (!users.has(id)) users.set(id, route);
  let nestedOnly: Map<string, Route> | undefined;
  return {
    users,
    groups: groupIds,
    nestedOnly: () => (nestedOnly ??= nested ? new Map() : membersOf(groupIds, input.groups, true)),
  };
}

/** The ids the scope setting selects (before filters): what an incremental cycle compares with the last cycle's. */
export function selectedIds(profile: Profile, input: ScopeInput): { users: Set<string>; groups: Set<string> } | "all" {
  const pick = select(profile, input);
  if (pick.users === "all" || pick.groups === "all") return "all";
  return { users: new Set(pick.users.keys()), groups: pick.groups };
}

const nameOf = (input: ScopeInput, id: string) => {
  const name = input.groups.get(id)?.attributes.displayName;
  return typeof name === "string" ? name : null;
};
const quoted = (input: ScopeInput, id: string) => `"${nameOf(input, id) ?? id}"`;

/** "member of "Inner", nested in "Outer"": the chain from the user's own group up to the scoped group. */
function chainText(input: ScopeInput, chain: string[]): string {
  const [top, ...inner] = chain.map((id) => quoted(input, id));
  return inner.length ? `member of ${inner.reverse().join(", nested in ")}, nested in ${top}` : `member of ${top}`;
}

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** The scope-setting step for one user: how it is (or is not) selected by assignment or by the picked groups. */
function userSelectionStep(profile: Profile, input: ScopeInput, pick: Selection, user: SourceObject): ScopeStep {
  const scope = profile.source.scope;
  const step = scope === "assigned" ? "assignment" : "groupMembership";
  const which = scope === "assigned" ? "which is assigned to the app" : "a group picked for provisioning";
  if (pick.users === "all") return { step, outcome: "pass", message: 'Scope is "all users and groups".' };
  const route = pick.users.get(user.id);
  const via = (chain: string[]) => chain.map((id) => ({ id, displayName: nameOf(input, id) }));
  if (route?.kind === "direct") return { step, outcome: "pass", message: "Assigned to the app directly." };
  if (route)
    return {
      step: "groupMembership",
      outcome: "pass",
      message: `${capitalised(chainText(input, route.chain))}, ${which}.`,
      via: via(route.chain),
    };
  const nested = pick.nestedOnly().get(user.id);
  if (nested?.kind === "group")
    return {
      step: "groupMembership",
      outcome: "fail",
      message:
        `${capitalised(chainText(input, nested.chain))}, ${which}, but nested groups are not followed: only direct ` +
        'members count, as in Entra. Turn on "include nested groups" to bring them in.',
      via: via(nested.chain),
    };
  return scope === "assigned"
    ? { step, outcome: "fail", message: "Not assigned to the app, neither directly nor through an assigned group." }
    : { step, outcome: "fail", message: "Not a member of the groups picked for provisioning." };
}

/** Why-not wording kept short for logs ("out of scope: ..." in a cycle's entries). */
function shortReason(profile: Profile): string {
  return profile.source.scope === "assigned"
    ? "not assigned to the app"
    : "not in the groups selected for provisioning";
}

export interface ScopeExplanation {
  decision: ScopeDecision;
  steps: ScopeStep[];
}

/**
 * THE scope decision for one object, with each step that led to it, in the order the engine decides: deleted in
 * Entra, the scope setting (assignment / picked groups, directly or nested), the scoping filters, then the account's
 * enabled state. Cycles, provision on demand and "Test with a user" all decide through here.
 */
function explain(
  object: SourceObject,
  selected: { ok: boolean; step: ScopeStep | null; why: string },
  filters: Rules["users"]["scopingFilters"],
): ScopeExplanation {
  const purged = object.removed === "deleted";
  const steps: ScopeStep[] = [];
  if (object.removed) {
    const reason = purged ? "permanently deleted in Entra" : "deleted in Entra (restorable)";
    steps.push({ step: "deleted", outcome: "fail", message: `The ${object.type} is ${reason}.` });
    return { decision: { inScope: false, softDeleted: true, purged, reason }, steps };
  }
  if (selected.step) steps.push(selected.step);
  if (!selected.ok) return { decision: { inScope: false, softDeleted: true, purged, reason: selected.why }, steps };
  // No filter reads the view when there is none: not built for every object of a tenant without filters.
  const scoping = evaluateScoping(filters, filters.length > 0 ? entraView(object, false) : {});
  const clause = scoping.decidedBy;
  steps.push({
    step: "scopingFilter",
    outcome: scoping.inScope ? "pass" : "fail",
    message: scoping.reason,
    ...(clause
      ? {
          clause: {
            filterIndex: clause.filterIndex,
            clauseIndex: clause.clauseIndex,
            filterTitle: filters[clause.filterIndex]?.title ?? null,
            attribute: clause.clause.attribute,
            operator: clause.clause.operator,
            value: clause.clause.value ?? null,
          },
        }
      : {}),
  });
  if (!scoping.inScope) {
    return {
      decision: { inScope: false, softDeleted: true, purged, reason: `out of scope: ${scoping.reason}` },
      steps,
    };
  }
  if (object.type === "user" && object.attributes.accountEnabled === false) {
    steps.push({
      step: "accountState",
      outcome: "info",
      message: "The account is disabled in Entra: it is kept disabled in the target and never created.",
    });
    return { decision: { inScope: true, softDeleted: true, purged, reason: "account disabled in Entra" }, steps };
  }
  if (object.type === "user") steps.push({ step: "accountState", outcome: "pass", message: "The account is enabled." });
  return { decision: { inScope: true, softDeleted: false, purged, reason: "in scope" }, steps };
}

const inSet = (set: Set<string> | "all", id: string) => set === "all" || set.has(id);

function explainUser(profile: Profile, rules: Rules, input: ScopeInput, pick: Selection, user: SourceObject) {
  const ok = pick.users === "all" || pick.users.has(user.id);
  return explain(
    user,
    { ok, step: userSelectionStep(profile, input, pick, user), why: shortReason(profile) },
    rules.users.scopingFilters,
  );
}

function explainGroup(profile: Profile, rules: Rules, input: ScopeInput, pick: Selection, group: SourceObject) {
  const enabled = profile.target.provisionGroups;
  const ok = enabled && inSet(pick.groups, group.id);
  const step: ScopeStep = !enabled
    ? { step: "groupProvisioning", outcome: "fail", message: "Group provisioning is off." }
    : profile.source.scope === "all"
      ? { step: "groupMembership", outcome: "pass", message: 'Scope is "all users and groups".' }
      : {
          step: profile.source.scope === "assigned" ? "assignment" : "groupMembership",
          outcome: ok ? "pass" : "fail",
          message: ok
            ? profile.source.scope === "assigned"
              ? "Assigned to the app."
              : "Picked for provisioning."
            : `Not ${profile.source.scope === "assigned" ? "assigned to the app" : "picked for provisioning"}.`,
        };
  return explain(
    group,
    { ok, step, why: enabled ? shortReason(profile) : "group provisioning is off" },
    rules.groups.scopingFilters,
  );
}

/**
 * Decides scope and Entra's IsSoftDeleted object by object, against the scope setting's selection worked out once from
 * `input` (which needs every group only when scope is by group or assignment).
 */
export function scopeDecider(
  profile: Profile,
  rules: Rules,
  input: ScopeInput,
): (object: SourceObject) => ScopeDecision {
  const pick = select(profile, input);
  return (object) =>
    (object.type === "user"
      ? explainUser(profile, rules, input, pick, object)
      : explainGroup(profile, rules, input, pick, object)
    ).decision;
}

/** Decides scope and Entra's IsSoftDeleted for every object of the input. */
export function decideScope(profile: Profile, rules: Rules, input: ScopeInput): ScopeResult {
  const decide = scopeDecider(profile, rules, input);
  const users = new Map<string, ScopeDecision>();
  const groups = new Map<string, ScopeDecision>();
  let inScopeCount = 0;
  for (const [objects, decisions] of [
    [input.users, users],
    [input.groups, groups],
  ] as const) {
    for (const object of objects.values()) {
      const decision = decide(object);
      decisions.set(object.id, decision);
      if (decision.inScope) inScopeCount++;
    }
  }
  return { users, groups, inScopeCount };
}

/** The same decision for one user of `input`, with every step that led to it ("Why is this user in or out of scope?"). */
export function explainUserScope(profile: Profile, rules: Rules, input: ScopeInput, userId: string): ScopeExplanation {
  const user = input.users.get(userId);
  if (!user) throw new Error(`explainUserScope: user ${userId} is not part of the input`);
  return explainUser(profile, rules, input, select(profile, input), user);
}
