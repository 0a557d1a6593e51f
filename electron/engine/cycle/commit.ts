import type { Database } from "better-sqlite3";
import { saveMirror, setDeltaLink } from "../db";
import type { SourceSnapshot } from "./read";

/**
 * Stores the new mirror and the delta links, only after apply: a cycle that died or stopped reads the same
 * changes again next time, and applying them again is harmless (they are diffed against what was exported).
 */
export function commitSnapshot(db: Database, profile: string, snapshot: SourceSnapshot): void {
  db.transaction(() => {
    saveMirror(db, profile, "user", snapshot.users.values(), true);
    saveMirror(db, profile, "group", snapshot.groups.values(), true);
    setDeltaLink(db, profile, "users", snapshot.deltaLinks.users);
    setDeltaLink(db, profile, "groups", snapshot.deltaLinks.groups);
  })();
}
