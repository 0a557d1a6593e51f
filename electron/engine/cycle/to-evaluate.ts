import { createHash } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { Profile } from "../../../shared/config/profile";
import type { Rules } from "../../../shared/config/mappings";
import {
  escrowKey,
  getEvaluationInputs,
  linkChanges,
  loadEscrow,
  loadMembershipEscrow,
  pendingIds,
  type EscrowEntry,
  type EvaluationInputs,
} from "../db";
import type { ReadChanges, SourceSnapshot } from "./read";
import { selectedIds } from "./scope";

/** Which objects this cycle evaluates, and why. */
export interface EvaluationSet {
  /**
   * "full": a full read; "rulesChanged": the rules or scope settings differ from the last cycle's (or are not known),
   * so every object is evaluated again; "changes": only what changed since the last cycle.
   */
  reason: "full" | "rulesChanged" | "changes";
  /** null: every object of the type. */
  users: Set<string> | null;
  groups: Set<string> | null;
}

/** Everything that decides an object's scope and values besides the object itself: rules and scope settings. */
export function rulesHash(profile: Profile, rules: Rules): string {
  const inputs = {
    rules,
    scope: profile.source.scope,
    nested: profile.source.includeNestedGroups,
    provisionGroups: profile.target.provisionGroups,
    actions: profile.target.actions,
    deprovision: profile.deprovision,
  };
  return createHash("sha256").update(JSON.stringify(inputs)).digest("hex");
}

/** What to store at commit so that the next cycle can tell what changed. */
export function evaluationInputs(profile: Profile, rules: Rules, snapshot: SourceSnapshot): EvaluationInputs {
  const a = snapshot.assignments;
  return {
    rulesHash: rulesHash(profile, rules),
    assignments: a ? { userIds: [...a.userIds], groupIds: [...a.groupIds] } : null,
  };
}

const symmetricDifference = (a: Set<string>, b: Set<string>, into: Set<string>) => {
  for (const id of a) if (!b.has(id)) into.add(id);
  for (const id of b) if (!a.has(id)) into.add(id);
};

/** Whether the rules or scope settings differ from those of the last committed cycle (or are not known). */
export function rulesChangedSince(db: Database, profile: Profile, rules: Rules): boolean {
  const last = getEvaluationInputs(db, profile.name);
  return !last || last.rulesHash !== rulesHash(profile, rules);
}

const sameIds = (a: string[], b: Set<string>) => a.length === b.size && a.every((id) => b.has(id));

/**
 * Whether an incremental cycle with scope by group or assignment needs every group (the scope setting's selection is
 * worked out from them): unless nothing changed in Entra, the assignments are the last cycle's, and no object waits
 * to be decided again (pending, escrowed, refused memberships, links changed outside a cycle). Then no object's scope
 * is decided, and most cycles, which change nothing, read no group.
 */
export function needsEveryGroup(db: Database, profile: string, read: ReadChanges): boolean {
  if (read.changed > 0) return true;
  const last = getEvaluationInputs(db, profile)?.assignments ?? null;
  const now = read.assignments;
  if (!last !== !now) return true;
  if (last && now && !(sameIds(last.userIds, now.userIds) && sameIds(last.groupIds, now.groupIds))) return true;
  return (
    pendingIds(db, profile, "user").length > 0 ||
    pendingIds(db, profile, "group").length > 0 ||
    loadEscrow(db, profile).size > 0 ||
    loadMembershipEscrow(db, profile).size > 0 ||
    linkChanges(db, profile).length > 0
  );
}

export interface EvaluationSetInput {
  db: Database;
  profile: Profile;
  rules: Rules;
  snapshot: SourceSnapshot;
  escrow: Map<string, EscrowEntry>;
  now: Date;
}

/**
 * An incremental cycle evaluates the objects that changed in Entra, those whose selection by the scope setting changed
 * (assignments, members of picked or assigned groups, nesting), escrowed objects whose retry is due, and in-scope
 * objects not in the target yet (per the decisions stored with the mirror). Everything else was evaluated with the
 * same inputs by an earlier cycle, and its result is what the target holds. Nothing here reads the whole mirror.
 */
export function evaluationSet(input: EvaluationSetInput): EvaluationSet {
  const { db, profile, rules, snapshot } = input;
  if (snapshot.full) return { reason: "full", users: null, groups: null };
  const last = getEvaluationInputs(db, profile.name);
  if (!last || last.rulesHash !== rulesHash(profile, rules))
    return { reason: "rulesChanged", users: null, groups: null };

  const users = new Set(snapshot.changed.users === "all" ? snapshot.users.keys() : snapshot.changed.users);
  const groups = new Set(snapshot.changed.groups === "all" ? snapshot.groups.keys() : snapshot.changed.groups);
  // Without every group loaded (needsEveryGroup), the selection is the last cycle's.
  const now = profile.source.scope === "all" || !snapshot.previousGroups ? "all" : selectedIds(profile, snapshot);
  if (now !== "all" && snapshot.previousGroups) {
    const before = selectedIds(profile, {
      users: snapshot.users,
      groups: snapshot.previousGroups,
      assignments: last.assignments && {
        servicePrincipalId: snapshot.assignments?.servicePrincipalId ?? "",
        userIds: new Set(last.assignments.userIds),
        groupIds: new Set(last.assignments.groupIds),
        names: new Map(),
      },
    });
    if (before !== "all") {
      symmetricDifference(before.users, now.users, users);
      symmetricDifference(before.groups, now.groups, groups);
    }
  }
  const due = (entry: EscrowEntry) => Date.parse(entry.retryAfter) <= input.now.getTime();
  for (const [type, into] of [
    ["user", users],
    ["group", groups],
  ] as const) {
    for (const id of pendingIds(db, profile.name, type)) {
      const escrowed = input.escrow.get(escrowKey(type, id));
      if (!escrowed || due(escrowed)) into.add(id);
    }
  }
  for (const [key, entry] of input.escrow) {
    const at = key.indexOf(":");
    const type = key.slice(0, at);
    if (due(entry)) (type === "user" ? users : groups).add(key.slice(at + 1));
  }
  return { reason: "changes", users, groups };
}
