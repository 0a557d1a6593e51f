import type { Database } from "better-sqlite3";
import {
  atomically,
  clearLinkChanges,
  commitStagedMirror,
  saveDecisions,
  saveMirror,
  clearStaged,
  putStaged,
  setDeltaLink,
  setEvaluationInputs,
  type EvaluationInputs,
} from "../db";
import type { ObjectType, SourceObject } from "../db/types";
import type { SourceSnapshot } from "./read";
import type { ScopeResult } from "./scope";

function changedObjects(all: Map<string, SourceObject>, changed: Set<string> | "all"): Iterable<SourceObject> {
  return changed === "all" ? all.values() : [...changed].flatMap((id) => all.get(id) ?? []);
}

/**
 * Moves a full read's users and their scope decisions out of memory once they are planned, until commit: at 100,000
 * users they are most of what a first cycle holds, and apply needs none of them.
 */
export function stageUsers(db: Database, profile: string, snapshot: SourceSnapshot, scope: ScopeResult): void {
  clearStaged(db, profile, "user");
  putStaged(db, profile, "user", snapshot.users.values(), (id) => scope.users.get(id));
  snapshot.users.clear();
  scope.users.clear();
  snapshot.usersStaged = true;
}

/**
 * Stores the new mirror with the scope decisions the cycle made, the delta links and what the cycle evaluated with,
 * only after apply: a cycle that died or stopped reads the same changes again next time, and applying them again is
 * harmless (they are diffed against what was exported). Link changes its memberships were planned with are forgotten; any other (an object re-created
 * after InvalidAnchor) stays for the next cycle.
 */
export function commitSnapshot(
  db: Database,
  profile: string,
  snapshot: SourceSnapshot,
  scope: ScopeResult,
  evaluatedWith: EvaluationInputs,
  plannedLinkChanges: { type: ObjectType; id: string }[],
): void {
  // Each changed object is stored with its decision in one statement; decisions of the others are stored alone.
  const save = (type: ObjectType, key: "users" | "groups") => {
    const decisions = scope[key];
    const objects = [...changedObjects(snapshot[key], snapshot.changed[key])];
    saveMirror(db, profile, type, objects, snapshot.changed[key] === "all", (id) => decisions.get(id));
    const saved = new Set(objects.map((o) => o.id));
    saveDecisions(
      db,
      profile,
      type,
      [...decisions].filter(([id]) => !saved.has(id)),
    );
  };
  atomically(db, () => {
    if (snapshot.usersStaged) commitStagedMirror(db, profile, "user");
    else save("user", "users");
    save("group", "groups");
    setDeltaLink(db, profile, "users", snapshot.deltaLinks.users);
    setDeltaLink(db, profile, "groups", snapshot.deltaLinks.groups);
    // This cycle's in-scope count is the committed mirror's: the next cycle starts from it.
    setEvaluationInputs(db, profile, { ...evaluatedWith, inScope: scope.inScopeCount });
    clearLinkChanges(db, profile, plannedLinkChanges);
  });
}
