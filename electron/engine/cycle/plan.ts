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
  storedWanted,
  groupsWithMembers,
  stagedPages,
  stagedCount,
  type EscrowEntry,
} from "../db";
import type { ScimClient } from "../target";
import { readMatchedMembers, type TargetListing } from "./match";
import { planMemberships } from "./plan-memberships";
import { planObjects, type ObjectPlan, type ObjectWork } from "./plan-objects";
import type { ObjectType, SourceObject } from "../db/types";
import { emptyPresence, movesObject, notePresence, type Presence } from "./presence";
import type { CycleScope } from "./cycle-scope";
import { mirrorObjects, type SourceSnapshot } from "./read";
import { timeSlices } from "./time-slices";
import type { EvaluationSet } from "./to-evaluate";
import type { Evaluation, Plan, PlannedFailure, PlannedMembership, ScopeDecision } from "./types";

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
  /** What the users' works change about which users exist in the target (all planned users, batches included). */
  usersPresence: Presence;
  /**
   * A full real cycle's users are staged (stageUsers): only the linked ones are planned here; the others are planned
   * and applied a batch at a time (stagedUserBatches), and memberships are planned after them (planMembershipChanges).
   */
  deferred: boolean;
  /** Whether `memberships` holds the plan's membership changes yet (planMembershipChanges). */
  membershipsPlanned: boolean;
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

/** Users decided, planned and (in a full real cycle) applied at a time. */
export const USER_BATCH = 1000;
/** The first batch of a full read's users to apply: planned before the first write, the others while it is written. */
const FIRST_APPLIED_BATCH = 100;

const objectInput = (input: PlanInput) => ({
  profile: input.profile,
  rules: input.rules,
  scim: input.scim,
  escrow: input.escrow,
  now: input.now,
  ignoreEscrow: input.full,
});

/** Plans a batch of users, with their scope decisions and export records loaded for the batch only. */
function planUsers(
  input: PlanInput,
  objects: SourceObject[],
  decisions: Map<string, ScopeDecision>,
  onProgress: (done: number) => void,
) {
  const { db, profile } = input;
  return planObjects({
    ...objectInput(input),
    type: "user",
    objects,
    scope: decisions,
    links: linkIndex(db, profile.name, "user"),
    exported: loadExported(db, profile.name, "user", input.toEvaluate.users ?? objects.map((o) => o.id)),
    listing: input.listings.users,
    changed: input.snapshot.changed.users,
    onProgress,
  });
}

/** Decisions for a batch of staged users, made again and not kept: they were staged with the users. */
function stagedDecisions(scope: CycleScope, objects: SourceObject[]): Map<string, ScopeDecision> {
  const decisions = new Map(objects.map((o) => [o.id, scope.decide(o)]));
  for (const o of objects) scope.users.delete(o.id);
  return decisions;
}

/**
 * Staged users planned a page at a time, the linked ones or those not linked yet; `evaluated()` says how many objects
 * were planned before each page, for progress against `total`.
 */
async function* planStaged(
  input: PlanInput,
  linked: boolean,
  evaluated: () => number,
  total: number,
): AsyncGenerator<ObjectPlan> {
  // The users not linked yet are applied as they are planned: a small first page starts the writes sooner.
  const first = linked ? USER_BATCH : FIRST_APPLIED_BATCH;
  // Reading a page and deciding its users are turns of their own: the writes of the page before wait for neither.
  const slices = timeSlices();
  for (const page of stagedPages(input.db, input.profile.name, "user", USER_BATCH, linked, first)) {
    const before = evaluated();
    await slices.pause();
    const decisions = stagedDecisions(input.scope, page);
    await slices.pause();
    yield await planUsers(input, page, decisions, (done) => input.onProgress(before + done, total));
  }
}

/**
 * Matches, evaluates and diffs the objects to evaluate against the target: the cycle's plan, before any write. With
 * users staged, only the linked users are planned (updates, disables and deletes: all the deletion gate counts).
 * Memberships are planned here only `withMemberships` (a preview, an approved plan): a real run plans them while its
 * users are applied.
 */
export async function buildPlan(input: PlanInput, withMemberships: boolean): Promise<WorkPlan> {
  const { db, profile, snapshot, toEvaluate } = input;
  const deferred = snapshot.usersStaged === true;
  const objectsOf = (type: ObjectType, only: Set<string> | null) =>
    mirrorObjects(db, profile.name, snapshot, type, only ?? "all");
  // Group provisioning off: groups already in the target are left as they are, not deprovisioned.
  const groupObjects = profile.target.provisionGroups ? objectsOf("group", toEvaluate.groups) : [];
  const userObjects = deferred ? null : objectsOf("user", toEvaluate.users);
  const total = (userObjects?.length ?? stagedCount(db, profile.name, "user")) + groupObjects.length;
  let users: ObjectPlan;
  if (userObjects)
    users = await planUsers(input, userObjects, input.scope.users, (done) => input.onProgress(done, total));
  else {
    // Only the works with something to do are kept: a full read of a tenant already in the target plans every user.
    users = { works: [], failures: [], evaluated: 0 };
    for await (const page of planStaged(input, true, () => users.evaluated, total)) {
      users.works.push(...page.works);
      users.failures.push(...page.failures);
      users.evaluated += page.evaluated;
    }
  }
  const groups = await planObjects({
    ...objectInput(input),
    type: "group",
    objects: groupObjects,
    scope: input.scope.groups,
    links: linkIndex(db, profile.name, "group"),
    exported: loadExported(db, profile.name, "group", toEvaluate.groups),
    listing: input.listings.groups,
    changed: snapshot.changed.groups,
    onProgress: (done) => input.onProgress(users.evaluated + done, total),
  });
  const work: WorkPlan = {
    users: users.works,
    groups: groups.works,
    memberships: [],
    failures: [...users.failures, ...groups.failures],
    exportedMembers: new Map(),
    adoptedMembers: new Map(),
    evaluation: {
      reason: toEvaluate.reason,
      users: users.evaluated,
      groups: groups.evaluated,
      memberships: 0,
      members: 0,
    },
    plannedLinkChanges: [],
    usersPresence: notePresence(emptyPresence(), users.works),
    deferred,
    membershipsPlanned: false,
  };
  if (withMemberships && !deferred) await planMembershipChanges(input, work);
  return work;
}

/**
 * The staged users not linked yet, planned a batch at a time (after the linked ones, which buildPlan planned): each
 * batch's works are handed over to be applied before the next is planned, and only their presence is kept. Failures
 * go to `onFailures` as each batch is planned.
 */
export async function* stagedUserBatches(
  input: PlanInput,
  work: WorkPlan,
  onFailures: (failures: PlannedFailure[]) => void,
): AsyncGenerator<ObjectWork[]> {
  const total = stagedCount(input.db, input.profile.name, "user") + work.evaluation.groups;
  const evaluated = () => work.evaluation.users + work.evaluation.groups;
  for await (const batch of planStaged(input, false, evaluated, total)) {
    work.evaluation.users += batch.evaluated;
    notePresence(work.usersPresence, batch.works);
    onFailures(batch.failures);
    yield batch.works;
  }
}

/**
 * Plans the membership changes of the groups whose memberships can differ from what the target holds, once the
 * objects are planned (and, for staged users, applied): fills the work's memberships, what the target holds per
 * group, and the link changes they were planned with.
 */
export async function planMembershipChanges(input: PlanInput, work: WorkPlan): Promise<void> {
  const { db, profile } = input;
  const changedLinks = linkChanges(db, profile.name);
  const { planned, changesOnly } = membershipGroups(input, changedLinks, work.usersPresence, work.groups);
  work.exportedMembers = loadGroupMembers(db, profile.name, planned === "all" ? undefined : planned, changesOnly);
  work.adoptedMembers = await adopt(input, work.usersPresence, work.groups);
  for (const [id, members] of work.adoptedMembers) work.exportedMembers.set(id, members);
  const memberGroups = profile.target.provisionGroups
    ? mirrorObjects(db, profile.name, input.snapshot, "group", planned)
    : [];
  work.evaluation.memberships = memberGroups.length;
  work.memberships = await planMemberships({
    groups: memberGroups,
    groupScope: (g) => input.scope.decide(g),
    groupLinks: linkIndex(db, profile.name, "group"),
    userLinks: linkIndex(db, profile.name, "user"),
    users: work.usersPresence,
    groupWorks: work.groups,
    exportedMembers: work.exportedMembers,
    changesOnly,
    membershipEscrow: dueMembershipEscrow(input),
    now: input.now,
    onCompared: (n) => (work.evaluation.members += n),
  });
  work.plannedLinkChanges = [
    ...changedLinks,
    ...work.usersPresence.moved.map((id) => ({ type: "user" as const, id })),
    ...work.groups.filter(movesObject).map((w) => ({ type: w.type, id: w.sourceId })),
  ];
  work.membershipsPlanned = true;
}

/**
 * The groups whose memberships can differ from what the target holds: every group on a full evaluation; otherwise
 * the groups evaluated, planned, escrowed, with refused members in escrow or whose link changed, and the groups of
 * the users who come into or go out of the target (this cycle, or through a link change no committed cycle planned
 * for), found through the mirror's members index (migration 009).
 *
 * A group planned only because Entra changed some of its members (`changesOnly`) has only those compared: the last
 * cycle left the others as the target holds them, and every way they can have drifted since (a refused or failed
 * change, a member created, deleted or re-linked, the group created or re-linked, or not wanted in the target by the
 * last cycle) plans the group in full. So one member joining a group of 100,000 costs one comparison, not 100,000.
 */
function membershipGroups(
  input: PlanInput,
  changedLinks: { type: ObjectType; id: string }[],
  users: Presence,
  groupWorks: ObjectWork[],
): { planned: Set<string> | "all"; changesOnly: Map<string, Set<string>> } {
  const { db, profile, toEvaluate, snapshot } = input;
  const changesOnly = new Map<string, Set<string>>();
  if (toEvaluate.groups === null) return { planned: "all", changesOnly };
  const members = snapshot.memberChanges ?? new Map<string, Set<string>>();
  // Evaluated for another reason than a change of members in Entra (pending, escrowed, newly selected by scope): in full.
  const inFull = new Set([...toEvaluate.groups].filter((id) => !members.has(id)));
  const movedUsers = [...users.moved];
  for (const c of changedLinks) {
    if (c.type === "group") inFull.add(c.id);
    else movedUsers.push(c.id);
  }
  for (const id of groupsWithMembers(db, profile.name, movedUsers)) inFull.add(id);
  for (const w of groupWorks) if (movesObject(w)) inFull.add(w.sourceId);
  for (const key of input.escrow.keys()) if (key.startsWith("group:")) inFull.add(key.slice("group:".length));
  for (const id of loadMembershipEscrow(db, profile.name).keys()) inFull.add(id);
  // A group the last cycle did not want in the target (out of scope, soft-deleted) had its memberships left alone.
  const wanted = storedWanted(db, profile.name, "group", members.keys());
  for (const [id, changed] of members) {
    if (wanted.has(id) && !inFull.has(id)) changesOnly.set(id, changed);
    else inFull.add(id);
  }
  return { planned: new Set([...inFull, ...changesOnly.keys()]), changesOnly };
}

/** Reads the current members of the groups matched rather than created (first cycle on a populated target, lost cache). */
async function adopt(
  input: PlanInput,
  users: Presence,
  groupWorks: ObjectWork[],
): Promise<Map<string, Map<string, string>>> {
  const matched = groupWorks.flatMap((w) => (w.link ? [{ sourceId: w.sourceId, targetId: w.link.targetId }] : []));
  if (matched.length === 0) return new Map();
  const userLinks = loadLinks(input.db, input.profile.name, "user");
  const userSourceByTarget = new Map([...userLinks.values()].map((l) => [l.targetId, l.sourceId]));
  for (const [targetId, sourceId] of users.matched) userSourceByTarget.set(targetId, sourceId);
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
