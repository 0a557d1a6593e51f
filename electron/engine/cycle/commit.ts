import type { Database } from "better-sqlite3";
import { saveMirror, setDeltaLink, setEvaluationInputs, type EvaluationInputs } from "../db";
import type { SourceObject } from "../db/types";
import type { SourceSnapshot } from "./read";

function changedObjects(all: Map<string, SourceObject>, changed: Set<string> | "all"): Iterable<SourceObject> {
  return changed === "all" ? all.values() : [...changed].flatMap((id) => all.get(id) ?? []);
}

/**
 * Stores the new mirror, the delta links and what the cycle evaluated with, only after apply: a cycle that died or stopped reads the same
 * changes again next time, and applying them again is harmless (they are diffed against what was exported).
 */
export function commitSnapshot(
  db: Database,
  profile: string,
  snapshot: SourceSnapshot,
  evaluatedWith: EvaluationInputs,
): void {
  db.transaction(() => {
    saveMirror(
      db,
      profile,
      "user",
      changedObjects(snapshot.users, snapshot.changed.users),
      snapshot.changed.users === "all",
    );
    saveMirror(
      db,
      profile,
      "group",
      changedObjects(snapshot.groups, snapshot.changed.groups),
      snapshot.changed.groups === "all",
    );
    setDeltaLink(db, profile, "users", snapshot.deltaLinks.users);
    setDeltaLink(db, profile, "groups", snapshot.deltaLinks.groups);
    setEvaluationInputs(db, profile, evaluatedWith);
  })();
}
