import type { Profile } from "../../../shared/config/profile";
import type { Rules } from "../../../shared/config/mappings";
import type { Database } from "better-sqlite3";
import { loadEscrow, loadExported, loadGroupMembers, loadLinks, loadMembershipEscrow } from "../db";
import type { ScimClient } from "../target";
import { readMatchedMembers, type TargetListing } from "./match";
import { planMemberships } from "./plan-memberships";
import { planObjects, type ObjectWork } from "./plan-objects";
import type { Link } from "../db/types";
import type { SourceSnapshot } from "./read";
import type { ScopeResult } from "./scope";
import { evaluationSet, type EvaluationSet } from "./to-evaluate";
import type { Evaluation, Plan, PlannedFailure, PlannedMembership } from "./types";

export interface WorkPlan {
  users: ObjectWork[];
  groups: ObjectWork[];
  memberships: PlannedMembership[];
  failures: PlannedFailure[];
  /** What the target holds per group: our last export, or for groups matched this cycle what was read from it. */
  exportedMembers: Map<string, Map<string, string>>;
  /** Members read from groups matched this cycle, to record once their links are recorded. */
  adoptedMembers: Map<string, Map<string, string>>;
  /** Which objects were evaluated, and why. */
  evaluation: Evaluation;
}

export interface PlanInput {
  db: Database;
  profile: Profile;
  rules: Rules;
  scim: ScimClient;
  snapshot: SourceSnapshot;
  scope: ScopeResult;
  listings: { users: TargetListing | null; groups: TargetListing | null };
  now: Date;
  full: boolean;
  onProgress: (done: number, total: number) => void;
}

/** Matches, evaluates and diffs every object of the mirror against the target: the cycle's plan, before any write. */
export async function buildPlan(input: PlanInput): Promise<WorkPlan> {
  const { db, profile } = input;
  const escrow = loadEscrow(db, profile.name);
  const base = { profile, rules: input.rules, scim: input.scim, escrow, now: input.now, ignoreEscrow: input.full };
  const userLinks = loadLinks(db, profile.name, "user");
  const groupLinks = loadLinks(db, profile.name, "group");
  const toEvaluate = evaluationSet({
    db,
    profile,
    rules: input.rules,
    snapshot: input.snapshot,
    scope: input.scope,
    links: { users: userLinks, groups: groupLinks },
    escrow,
    now: input.now,
  });
  const groupObjects = profile.target.provisionGroups ? input.snapshot.groups : new Map<string, never>();
  const userCount = count(input.snapshot.users, toEvaluate.users);
  const total = userCount + count(groupObjects, toEvaluate.groups);
  const users = await planObjects({
    ...base,
    type: "user",
    objects: input.snapshot.users,
    only: toEvaluate.users,
    scope: input.scope.users,
    links: userLinks,
    exported: loadExported(db, profile.name, "user", toEvaluate.users),
    listing: input.listings.users,
    changed: input.snapshot.changed.users,
    onProgress: (done) => input.onProgress(done, total),
  });
  const groups = await planObjects({
    ...base,
    type: "group",
    // Group provisioning off: groups already in the target are left as they are, not deprovisioned.
    objects: groupObjects,
    only: toEvaluate.groups,
    scope: input.scope.groups,
    links: groupLinks,
    exported: loadExported(db, profile.name, "group", toEvaluate.groups),
    listing: input.listings.groups,
    changed: input.snapshot.changed.groups,
    onProgress: (done) => input.onProgress(userCount + done, total),
  });
  const exportedMembers = loadGroupMembers(db, profile.name);
  const adoptedMembers = await adopt(input, userLinks, users.works, groups.works);
  for (const [id, members] of adoptedMembers) exportedMembers.set(id, members);
  const memberships = planMemberships({
    groups: input.snapshot.groups,
    groupScope: input.scope.groups,
    groupLinks,
    userLinks,
    userWorks: users.works,
    groupWorks: groups.works,
    exportedMembers,
    membershipEscrow: dueMembershipEscrow(input),
    now: input.now,
  });
  return {
    users: users.works,
    groups: groups.works,
    memberships,
    failures: [...users.failures, ...groups.failures],
    exportedMembers,
    adoptedMembers,
    evaluation: { reason: toEvaluate.reason, users: users.evaluated, groups: groups.evaluated },
  };
}

/** How many objects of `objects` the set names (null: all of them). */
const count = (objects: Map<string, unknown>, only: EvaluationSet["users"]) =>
  only === null ? objects.size : [...only].filter((id) => objects.has(id)).length;

/** Reads the current members of the groups matched rather than created (first cycle on a populated target, lost cache). */
async function adopt(
  input: PlanInput,
  userLinks: Map<string, Link>,
  userWorks: ObjectWork[],
  groupWorks: ObjectWork[],
): Promise<Map<string, Map<string, string>>> {
  const matched = groupWorks.flatMap((w) => (w.link ? [{ sourceId: w.sourceId, targetId: w.link.targetId }] : []));
  if (matched.length === 0) return new Map();
  const userSourceByTarget = new Map([...userLinks.values()].map((l) => [l.targetId, l.sourceId]));
  for (const w of userWorks) if (w.link) userSourceByTarget.set(w.link.targetId, w.sourceId);
  return readMatchedMembers(input.scim, matched, userSourceByTarget, input.profile.target.concurrency);
}

/**
 * Refused memberships wait for their back-off, except in groups whose members changed in Entra this cycle (the change
 * may be the admin's fix, e.g. a split group) and on full cycles, which try everything again.
 */
function dueMembershipEscrow(input: PlanInput) {
  const escrow = loadMembershipEscrow(input.db, input.profile.name);
  const changed = input.snapshot.changed.groups;
  if (input.full || changed === "all") return new Map();
  for (const id of changed) escrow.delete(id);
  return escrow;
}

/** The plan as a value: every create, update, disable and delete with its attribute changes. */
export function planValue(work: WorkPlan): Plan {
  const actions = [...work.users, ...work.groups].flatMap((w) => (w.action ? [w.action] : []));
  return { actions, memberships: work.memberships, failures: work.failures };
}
