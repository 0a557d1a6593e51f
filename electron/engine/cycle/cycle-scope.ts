import type { Database } from "better-sqlite3";
import type { Profile } from "../../../shared/config/profile";
import type { Rules } from "../../../shared/config/mappings";
import { getEvaluationInputs, saveDecisions, stagedPages, storedInScope } from "../db";
import type { SourceObject } from "../db/types";
import { mirrorObjects, type SourceSnapshot } from "./read";
import { scopeDecider, type ScopeResult } from "./scope";
import type { EvaluationSet } from "./to-evaluate";
import { USER_BATCH } from "./plan";
import type { ScopeDecision } from "./types";

/** A cycle's scope decisions: of the objects it looks at, each decided once when first asked. */
export interface CycleScope extends ScopeResult {
  decide(object: SourceObject): ScopeDecision;
}

/**
 * Decides scope for what the cycle evaluates: every object on a full evaluation, else the evaluated objects only. Any
 * other object has the inputs of its stored decision, so the canary's in-scope count is the last committed count with
 * the evaluated objects' stored decisions replaced by this cycle's.
 */
export function cycleScope(
  db: Database,
  profile: Profile,
  rules: Rules,
  snapshot: SourceSnapshot,
  toEvaluate: EvaluationSet,
): CycleScope {
  const decider = scopeDecider(profile, rules, snapshot);
  const users = new Map<string, ScopeDecision>();
  const groups = new Map<string, ScopeDecision>();
  const decide = (object: SourceObject) => {
    const decisions = object.type === "user" ? users : groups;
    let decision = decisions.get(object.id);
    if (!decision) decisions.set(object.id, (decision = decider(object)));
    return decision;
  };
  const evaluated =
    toEvaluate.users === null || toEvaluate.groups === null
      ? [...snapshot.users.values(), ...snapshot.groups.values()]
      : [
          ...mirrorObjects(db, profile.name, snapshot, "user", toEvaluate.users),
          ...mirrorObjects(db, profile.name, snapshot, "group", toEvaluate.groups),
        ];
  let inScopeCount =
    toEvaluate.users === null
      ? 0
      : (getEvaluationInputs(db, profile.name)?.inScope ?? storedInScope(db, profile.name)) -
        storedInScope(
          db,
          profile.name,
          evaluated.map((o) => ({ type: o.type, id: o.id })),
        );
  for (const object of evaluated) if (decide(object).inScope) inScopeCount++;
  if (snapshot.usersStaged) inScopeCount += decideStaged(db, profile.name, decider);
  return { users, groups, inScopeCount, decide };
}

/** Decides every staged user a page at a time, stored with them rather than kept; returns how many are in scope. */
function decideStaged(db: Database, profile: string, decider: (object: SourceObject) => ScopeDecision): number {
  let inScope = 0;
  for (const page of stagedPages(db, profile, "user", USER_BATCH)) {
    const decisions = page.map((o): [string, ScopeDecision] => [o.id, decider(o)]);
    saveDecisions(db, profile, "user", decisions, "staged");
    for (const [, d] of decisions) if (d.inScope) inScope++;
  }
  return inScope;
}
