import type { Profile } from "../../../shared/config/profile";
import type { Rules } from "../../../shared/config/mappings";
import type { Database } from "better-sqlite3";
import {
  linkIndex,
  loadExported,
  loadGroupMembers,
  loadLinks,
  loadMembershipEscrow,
  linkChanges,
  type EscrowEntry,
} from "../db";
import type { ScimClient } from "../target";
import { readMatchedMembers, type TargetListing } from "./match";
import { planMemberships } from "./plan-memberships";
import { planObjects, type ObjectWork } from "./plan-objects";
import type { ObjectType } from "../db/types";
import type { CycleScope } from "./cycle-scope";
import { mirrorObjects, type SourceSnapshot } from "./read";
import type { EvaluationSet } from "./to-evaluate";
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
  /** Link changes the memberships were planned with: forgotten at commit (link_changes, migration 008). */
  plannedLinkChanges: { type: ObjectType; id: string }[];
}

export interface PlanInput {
  db: Database;
  profile: Profile;
  rules: Rules;
  scim: ScimClient;
  snapshot: SourceSnapshot;
  scope: CycleScope;
  toEvaluate: EvaluationSet;
  escrow: Map<string, EscrowEntry>;
  listings: { users: TargetListing | null; groups: TargetListing | null };
  now: Date;
  full: boolean;
  onProgress: (done: number, total: number) => void;
}

/** Matches, evaluates and diffs the objects to evaluate against the target: the cycle's plan, before any write. */
export async function buildPlan(input: PlanInput): Promise<WorkPlan> {
  const { db, profile, snapshot, toEvaluate, escrow } = input;
  const base = { profile, rules: input.rules, scim: input.scim, escrow, now: input.now, ignoreEscrow: input.full };
  const userLinks = linkIndex(db, profile.name, "user");
  const groupLinks = linkIndex(db, profile.name, "group");
  const objectsOf = (type: ObjectType, only: Set<string> | null) =>
    mirrorObjects(db, profile.name, snapshot, type, only ?? "all");
  const userObjects = objectsOf("user", toEvaluate.users);
  // Group provisioning off: groups already in the target are left as they are, not deprovisioned.
  const groupObjects = profile.target.provisionGroups ? objectsOf("group", toEvaluate.groups) : [];
  const total = userObjects.length + groupObjects.length;
  const users = await planObjects({
    ...base,
    type: "user",
    objects: userObjects,
    scope: input.scope.users,
    links: userLinks,
    exported: loadExported(db, profile.name, "user", toEvaluate.users),
    listing: input.listings.users,
    changed: snapshot.changed.users,
    onProgress: (done) => input.onProgress(done, total),
  });
  const groups = await planObjects({
    ...base,
    type: "group",
    objects: groupObjects,
    scope: input.scope.groups,
    links: groupLinks,
    exported: loadExported(db, profile.name, "group", toEvaluate.groups),
    listing: input.listings.groups,
    changed: snapshot.changed.groups,
    onProgress: (done) => input.onProgress(userObjects.length + done, total),
  });
  const changedLinks = linkChanges(db, profile.name);
  const planned = membershipGroups(input, changedLinks, users.works, groups.works);
  const exportedMembers = loadGroupMembers(db, profile.name, planned === "all" ? undefined : planned);
  const adoptedMembers = await adopt(input, users.works, groups.works);
  for (const [id, members] of adoptedMembers) exportedMembers.set(id, members);
  const memberGroups = profile.target.provisionGroups ? objectsOf("group", planned === "all" ? null : planned) : [];
  const memberships = planMemberships({
    groups: memberGroups,
    groupScope: (g) => input.scope.decide(g),
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
    plannedLinkChanges: [
      ...changedLinks,
      ...[...users.works, ...groups.works].filter(movesObject).map((w) => ({ type: w.type, id: w.sourceId })),
    ],
  };
}

/** A work that makes an object exist in the target, stop existing, or exist under another target id. */
const movesObject = (w: ObjectWork) =>
  !!w.staleLink || !!w.link || w.action?.action === "Create" || w.action?.action === "Delete";

/**
 * The groups whose memberships can differ from what the target holds: every group on a full evaluation, or when a
 * user comes into or goes out of the target (this cycle, or through a link change no committed cycle planned for):
 * groups are not indexed by member. Otherwise only the groups evaluated, planned, escrowed, with refused members in
 * escrow, or whose link changed.
 */
function membershipGroups(
  input: PlanInput,
  changedLinks: { type: ObjectType; id: string }[],
  userWorks: ObjectWork[],
  groupWorks: ObjectWork[],
): Set<string> | "all" {
  const { db, profile, toEvaluate } = input;
  if (toEvaluate.groups === null || userWorks.some(movesObject) || changedLinks.some((c) => c.type === "user"))
    return "all";
  const ids = new Set(toEvaluate.groups);
  for (const c of changedLinks) ids.add(c.id);
  for (const w of groupWorks) ids.add(w.sourceId);
  for (const key of input.escrow.keys()) if (key.startsWith("group:")) ids.add(key.slice("group:".length));
  for (const id of loadMembershipEscrow(db, profile.name).keys()) ids.add(id);
  return ids;
}

/** Reads the current members of the groups matched rather than created (first cycle on a populated target, lost cache). */
async function adopt(
  input: PlanInput,
  userWorks: ObjectWork[],
  groupWorks: ObjectWork[],
): Promise<Map<string, Map<string, string>>> {
  const matched = groupWorks.flatMap((w) => (w.link ? [{ sourceId: w.sourceId, targetId: w.link.targetId }] : []));
  if (matched.length === 0) return new Map();
  const userLinks = loadLinks(input.db, input.profile.name, "user");
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
