import type { LogEntry } from "../../../shared/ipc/model";
import {
  GROUP_ON_DEMAND_MEMBERS,
  type ProvisionGroupResultView,
  type ProvisionMember,
  type ProvisionStep,
} from "../../../shared/ipc/provision-model";
import type { Profile } from "../../../shared/config/profile";
import { getLink, loadGroupMembers } from "../db";
import type { SourceObject } from "../db/types";
import type { EngineErrorKind } from "../service/errors";
import {
  groupIdsByName,
  listGroupMembersNamed,
  readAssignments,
  readGroup,
  type GraphClient,
  type NamedMember,
} from "../source";
import { tracedContext } from "./apply";
import { applyMemberships } from "./apply-memberships";
import { displayNameOf } from "./evaluate";
import {
  entryText,
  loggedBy,
  matchStep,
  performAction,
  provisionUserSteps,
  runOnDemand,
  sentence,
  testConnectionStep,
  type OnDemand,
  type UserOutcome,
} from "./provision-steps";
import { sourceSelect } from "./read";
import { decideScope } from "./scope";
import type { CycleDeps, ScopeDecision } from "./types";

export type ProvisionGroupResult = Omit<ProvisionGroupResultView, "failureKind"> & {
  failureKind: EngineErrorKind | null;
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The group by object id, else by display name: exactly one, or why there is not. */
async function findGroup(
  graph: GraphClient,
  ref: string,
  select: string[],
): Promise<{ group: Record<string, unknown> } | { problem: string }> {
  const byId = GUID.test(ref) ? await readGroup(graph, ref, select) : null;
  if (byId) return { group: byId };
  const ids = await groupIdsByName(graph, [ref]);
  if (ids.length > 1)
    return {
      problem: `${ids.length} groups in Entra ID are named "${ref}". Give the object id of the one to provision (${ids.join(", ")}).`,
    };
  const group = ids.length === 1 ? await readGroup(graph, ids[0]!, select) : null;
  return group
    ? { group }
    : { problem: `Entra ID has no group "${ref}" (looked up by object id and by display name). Check the name.` };
}

const nameOf = (m: NamedMember) => m.displayName ?? m.userPrincipalName ?? m.id;

/**
 * The members to provision with the group: the ones picked (direct user members, at most Entra's 5), or else the first
 * 5 by display name, those the target group does not hold yet first, so that running it again moves on to the next.
 */
function chooseMembers(
  members: NamedMember[],
  picked: string[],
  inTargetGroup: ReadonlySet<string>,
): { chosen: NamedMember[]; reason: string } | { problem: string } {
  const users = members.filter((m) => m.type === "user");
  const others = members.length - users.length;
  const left = others
    ? ` ${others} nested group${others === 1 ? " or other object is" : "s or other objects are"} left out: provision on demand takes users only, as Entra ID does.`
    : "";
  if (picked.length) {
    if (picked.length > GROUP_ON_DEMAND_MEMBERS)
      return { problem: `Pick at most ${GROUP_ON_DEMAND_MEMBERS} members: Entra ID provisions no more on demand.` };
    const chosen: NamedMember[] = [];
    for (const ref of picked) {
      const key = ref.toLowerCase();
      const found = users.find((u) => u.id.toLowerCase() === key || u.userPrincipalName?.toLowerCase() === key);
      if (!found)
        return { problem: `"${ref}" is not a user who is a direct member of the group. Pick from its members.` };
      if (!chosen.includes(found)) chosen.push(found);
    }
    return { chosen, reason: `The members you picked: ${chosen.map(nameOf).join(", ")}.${left}` };
  }
  const ordered = [...users].sort(
    (a, b) =>
      Number(inTargetGroup.has(a.id)) - Number(inTargetGroup.has(b.id)) ||
      nameOf(a).localeCompare(nameOf(b)) ||
      a.id.localeCompare(b.id),
  );
  const chosen = ordered.slice(0, GROUP_ON_DEMAND_MEMBERS);
  if (!users.length) return { chosen, reason: `The group has no user members: only the group is provisioned.${left}` };
  if (users.length <= GROUP_ON_DEMAND_MEMBERS)
    return {
      chosen,
      reason: `The group has ${users.length} user member${users.length === 1 ? "" : "s"}: all are provisioned with it.${left}`,
    };
  return {
    chosen,
    reason:
      `The group has ${users.length} user members; provision on demand takes at most ${GROUP_ON_DEMAND_MEMBERS}, as Entra ID does. ` +
      `Chosen: the first ${GROUP_ON_DEMAND_MEMBERS} by display name, members the target group does not hold yet first (${chosen.map(nameOf).join(", ")}). ` +
      `Run it again for the next ones; the next cycle provisions them all.${left}`,
  };
}

/** The rule that decided the group's scope, in words (the engine's decision, on the group read live). */
function scopeRule(profile: Profile, decision: ScopeDecision): NonNullable<ProvisionStep["rules"]>[number] {
  const scope = profile.source.scope;
  if (!profile.target.provisionGroups)
    return {
      step: "groupProvisioning",
      outcome: "fail",
      message: "Group provisioning is off for this profile.",
    };
  const step = scope === "all" ? "all" : scope === "assigned" ? "assignment" : "groupMembership";
  if (!decision.inScope)
    return {
      step,
      outcome: "fail",
      message: sentence(decision.reason.replace(/^out of scope: /, "")),
    };
  const why =
    scope === "all"
      ? 'Scope is "all users and groups"'
      : scope === "assigned"
        ? "Assigned to the app"
        : "Picked for provisioning";
  return { step, outcome: "pass", message: `${why}, and no group scoping filter leaves it out.` };
}

/** Adds the members that are in the target now to the target group; the members it holds already are left as they are. */
async function addMembers(
  run: OnDemand,
  group: SourceObject,
  outcomes: { member: ProvisionMember; outcome: UserOutcome | null }[],
): Promise<LogEntry | null> {
  const { db, profile } = run.deps;
  const groupLink = getLink(db, profile.name, "group", group.id);
  const held = () => loadGroupMembers(db, profile.name).get(group.id) ?? new Map<string, string>();
  const before = held();
  const toAdd: ProvisionMember[] = [];
  for (const { member, outcome } of outcomes) {
    const userLink = getLink(db, profile.name, "user", member.sourceId);
    // A membership the target holds stays as it is, whatever the user's state: nothing is ever removed here.
    if (groupLink && userLink && before.get(member.sourceId) === userLink.targetId) {
      member.membership = "already";
      member.membershipDetail = "Already a member of the target group.";
    } else if (!outcome?.inTarget || !userLink)
      member.membershipDetail = outcome?.scope.softDeleted
        ? `Not added: ${outcome.scope.reason}.`
        : "Not added: the user is not in the target (see its steps).";
    else if (!groupLink) member.membershipDetail = "Not added: the group is not in the target.";
    else toAdd.push(member);
  }
  if (!toAdd.length || !groupLink) return null;
  const entry = await loggedBy(run.ctx, () =>
    applyMemberships(
      tracedContext(run.ctx),
      { groupSourceId: group.id, displayName: displayNameOf(group), add: toAdd.map((m) => m.sourceId), remove: [] },
      new Map(toAdd.map((m) => [m.sourceId, m.displayName])),
    ),
  );
  const after = held();
  for (const member of toAdd) {
    const added = after.get(member.sourceId) === getLink(db, profile.name, "user", member.sourceId)?.targetId;
    member.membership = added ? "added" : "failed";
    member.membershipDetail = added
      ? "Added to the target group."
      : `The target did not add the user to the group${entry?.message ? `: ${entry.message}` : ""}. See the log for the group.`;
  }
  return entry;
}

/** The group's Perform action: what was done to the group, then to its members in it. */
function actionStep(entry: LogEntry | null, members: ProvisionMember[], membersEntry: LogEntry | null): ProvisionStep {
  const count = (m: ProvisionMember["membership"]) => members.filter((x) => x.membership === m);
  const added = count("added");
  const parts = [
    added.length && `${added.length} added (${added.map((m) => m.displayName).join(", ")})`,
    count("already").length && `${count("already").length} already in it`,
    count("notAdded").length && `${count("notAdded").length} not added`,
    count("failed").length && `${count("failed").length} refused by the target`,
  ].filter(Boolean);
  const memberFailed = members.some((m) => m.membership === "failed" || m.steps.some((s) => s.status === "Failure"));
  const status =
    entry?.status === "Failure" ? "Failure" : memberFailed ? "Warning" : entry || added.length ? "Success" : "Skipped";
  return {
    name: "Perform action",
    status,
    detail:
      `${entry ? entryText(entry) : "Nothing to do for the group: the target already holds these values."}` +
      (members.length ? ` Members: ${parts.join(", ")}.` : ""),
    requestIds: [...(entry?.requestIds ?? []), ...(membersEntry?.requestIds ?? [])],
  };
}

/**
 * Provision on demand for a group, as Entra does it: the group through the five steps, then up to 5 of its direct
 * user members each through its own steps, then those in the target added to the target group. Members the target
 * group holds already stay: nothing is removed.
 */
export function provisionGroup(deps: CycleDeps, ref: string, picked: string[] = []): Promise<ProvisionGroupResult> {
  const { db, profile, rules, graph } = deps;
  return runOnDemand(
    deps,
    (cycleId): ProvisionGroupResult => ({
      steps: [],
      action: null,
      entry: null,
      group: null,
      choice: null,
      members: [],
      cycleId,
      failureKind: null,
    }),
    async (run, result) => {
      const { steps } = result;
      if (!(await testConnectionStep(run, steps))) return;

      run.at(steps, "Import group");
      const select = sourceSelect(rules).groups.filter((p) => p !== "members");
      const found = await findGroup(graph, ref, select);
      if ("problem" in found) return run.fail(steps, "Import group", found.problem, "notFound");
      const id = String(found.group.id);
      const members = await listGroupMembersNamed(graph, id);
      const group: SourceObject = {
        type: "group",
        id,
        attributes: found.group,
        members: members.flatMap((m) => (m.type === "other" ? [] : [{ id: m.id, type: m.type }])),
        removed: null,
      };
      result.group = { sourceId: id, displayName: displayNameOf(group) };
      const inTargetGroup = new Set(loadGroupMembers(db, profile.name).get(id)?.keys() ?? []);
      const choice = chooseMembers(members, picked, inTargetGroup);
      if ("problem" in choice) return run.fail(steps, "Import group", choice.problem, "notFound");
      const users = members.filter((m) => m.type === "user").length;
      result.choice = {
        userMembers: users,
        otherMembers: members.length - users,
        limit: GROUP_ON_DEMAND_MEMBERS,
        reason: choice.reason,
      };
      steps.push({
        name: "Import group",
        status: "Success",
        detail: `${displayNameOf(group)} (${id}): ${users} user member${users === 1 ? "" : "s"}${members.length > users ? ` and ${members.length - users} other` : ""}.`,
      });

      run.at(steps, "Determine scope");
      const assignments =
        profile.source.scope === "assigned"
          ? await readAssignments(graph, profile.source.appId, profile.source.tenantId)
          : null;
      const decision = decideScope(profile, rules, {
        users: new Map(),
        groups: new Map([[id, group]]),
        assignments,
      }).groups.get(id)!;
      const rule = scopeRule(profile, decision);
      steps.push({
        name: "Determine scope",
        status: decision.inScope ? "Success" : "Skipped",
        detail: decision.inScope
          ? "In scope."
          : !profile.target.provisionGroups
            ? "Group provisioning is off for this profile, so no group is provisioned (users still are). Turn group provisioning on in the profile to provision groups. Nothing was sent to the target."
            : `Out of scope: ${decision.reason.replace(/^out of scope: /, "")}. Nothing was sent to the target, for the group or its members.`,
        rules: [rule],
      });
      if (!decision.inScope) return;

      const match = await matchStep(run, steps, group, decision);
      result.entry = await performAction(run, steps, match);
      result.action = match.work?.action ?? null;

      const outcomes = [];
      for (const m of choice.chosen) {
        const member: ProvisionMember = {
          sourceId: m.id,
          displayName: nameOf(m),
          userPrincipalName: m.userPrincipalName,
          steps: [],
          action: null,
          membership: "notAdded",
          membershipDetail: "",
        };
        result.members.push(member);
        const outcome = await provisionUserSteps(run, member.steps, m.id);
        member.action = outcome?.action ?? null;
        outcomes.push({ member, outcome });
      }
      run.at(steps, "Perform action");
      const membersEntry = await addMembers(run, group, outcomes);
      steps.push(actionStep(result.entry, result.members, membersEntry));
    },
  );
}
