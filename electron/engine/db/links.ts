import type { Database } from "better-sqlite3";
import { atomically } from "./atomically";
import type { Link, ObjectType } from "./types";

interface Row {
  source_id: string;
  target_id: string;
  matched_by: string;
  created: string;
}

const toLink = (type: ObjectType, r: Row): Link => ({
  type,
  sourceId: r.source_id,
  targetId: r.target_id,
  matchedBy: r.matched_by,
  created: r.created,
});

/** The hot lookup of every cycle (served by the primary key). */
export function getLink(db: Database, profile: string, type: ObjectType, sourceId: string): Link | undefined {
  const row = db
    .prepare(
      "SELECT source_id, target_id, matched_by, created FROM links WHERE profile = ? AND type = ? AND source_id = ?",
    )
    .get(profile, type, sourceId) as Row | undefined;
  return row && toLink(type, row);
}

export function loadLinks(db: Database, profile: string, type: ObjectType): Map<string, Link> {
  const rows = db
    .prepare("SELECT source_id, target_id, matched_by, created FROM links WHERE profile = ? AND type = ?")
    .all(profile, type) as Row[];
  return new Map(rows.map((r) => [r.source_id, toLink(type, r)]));
}

/** Target ids of the linked objects among `sourceIds`, in one query (a group's members, say). */
export function linkedTargets(
  db: Database,
  profile: string,
  type: ObjectType,
  sourceIds: string[],
): Map<string, string> {
  if (sourceIds.length === 0) return new Map();
  const rows = db
    .prepare(
      // As IN (subquery), SQLite looks each id up by the primary key; as a join it may scan the type's links instead.
      "SELECT source_id, target_id FROM links WHERE profile = ? AND type = ? AND source_id IN (SELECT value FROM json_each(?))",
    )
    .raw()
    .all(profile, type, JSON.stringify(sourceIds)) as [string, string][];
  return new Map(rows);
}

/** Links of one object type looked up in the database as needed, instead of held in memory for the whole tenant. */
export interface LinkIndex {
  get(sourceId: string): Link | undefined;
  /** Target ids of the linked objects among `sourceIds`. */
  targets(sourceIds: string[]): Map<string, string>;
  /** Whether any object of the type is linked to this target object. */
  hasTarget(targetId: string): boolean;
}

export function linkIndex(db: Database, profile: string, type: ObjectType): LinkIndex {
  return {
    get: (sourceId) => getLink(db, profile, type, sourceId),
    targets: (sourceIds) => linkedTargets(db, profile, type, sourceIds),
    hasTarget: (targetId) =>
      db
        .prepare("SELECT 1 FROM links WHERE profile = ? AND type = ? AND target_id = ?")
        .get(profile, type, targetId) !== undefined,
  };
}

/** Links a source object to its target object, replacing an earlier link of that source object. */
export function putLink(db: Database, profile: string, link: Link): void {
  db.prepare(
    `INSERT INTO links (profile, type, source_id, target_id, matched_by, created) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (profile, type, source_id) DO UPDATE SET target_id = excluded.target_id, matched_by = excluded.matched_by, created = excluded.created`,
  ).run(profile, link.type, link.sourceId, link.targetId, link.matchedBy, link.created);
}

/** Forgets a link with what was exported through it (the target object is gone or deleted). */
export function deleteLink(db: Database, profile: string, type: ObjectType, sourceId: string): boolean {
  return atomically(db, () => {
    db.prepare("DELETE FROM exported WHERE profile = ? AND type = ? AND source_id = ?").run(profile, type, sourceId);
    if (type === "group")
      db.prepare("DELETE FROM group_members_exported WHERE profile = ? AND group_source_id = ?").run(profile, sourceId);
    return (
      db.prepare("DELETE FROM links WHERE profile = ? AND type = ? AND source_id = ?").run(profile, type, sourceId)
        .changes === 1
    );
  });
}

/** Links per type, as the links triggers keep them (migration 008): not a count over every link. */
export function linkCounts(db: Database, profile: string): { users: number; groups: number } {
  const rows = db.prepare("SELECT type, n FROM links_count WHERE profile = ?").all(profile) as {
    type: ObjectType;
    n: number;
  }[];
  const count = (t: ObjectType) => rows.find((r) => r.type === t)?.n ?? 0;
  return { users: count("user"), groups: count("group") };
}
