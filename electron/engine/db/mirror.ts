import type { Database } from "better-sqlite3";
import { atomically } from "./atomically";
import { parseJson } from "./json";
import type { DeltaKind, MemberRef, ObjectType, SourceObject } from "./types";

interface Row {
  id: string;
  attributes: string;
  removed: SourceObject["removed"];
}

/** A mirrored object; a group's members come from the members index (migration 011), staged users have none. */
const toObject = (type: ObjectType, r: Row, members?: MemberRef[]): SourceObject => ({
  type,
  id: r.id,
  attributes: parseJson<Record<string, unknown>>(r.attributes, {}),
  ...(members ? { members } : {}),
  removed: r.removed,
});

/** Where objects are read from: the committed mirror, or a full read's objects staged until commit (putStaged). */
export type MirrorTable = "mirror" | "staged";
const TABLE: Record<MirrorTable, string> = { mirror: "source_objects", staged: "temp.staged_objects" };

/** The local mirror of one object type (or a full read's objects staged until commit). */
export function loadMirror(
  db: Database,
  profile: string,
  type: ObjectType,
  table: MirrorTable = "mirror",
): Map<string, SourceObject> {
  const members = type === "group" && table === "mirror" ? groupMembers(db, profile) : undefined;
  const rows = db
    .prepare(`SELECT id, attributes, removed FROM ${TABLE[table]} WHERE profile = ? AND type = ?`)
    .iterate(profile, type) as IterableIterator<Row>;
  const objects = new Map<string, SourceObject>();
  for (const r of rows) objects.set(r.id, toObject(type, r, members && (members.get(r.id) ?? [])));
  return objects;
}

/** The members of every mirrored group, or of the groups listed in `groupIds` (a JSON array), by group. */
function groupMembers(db: Database, profile: string, groupIds?: string): Map<string, MemberRef[]> {
  const statement = db
    .prepare(
      `SELECT group_id, member_id, member_type FROM source_objects_members WHERE profile = ?${groupIds ? " AND group_id IN (SELECT value FROM json_each(?))" : ""}`,
    )
    .raw();
  // Every group's members are iterated (a large tenant's are not held twice); a list's are read at once, which is faster.
  const rows = (groupIds ? statement.all(profile, groupIds) : statement.iterate(profile)) as Iterable<
    [string, string, ObjectType]
  >;
  const byGroup = new Map<string, MemberRef[]>();
  for (const [group, id, type] of rows) {
    let members = byGroup.get(group);
    if (!members) byGroup.set(group, (members = []));
    members.push({ id, type });
  }
  return byGroup;
}

/**
 * The mirror (or staged) entries of `ids` that exist (changed and looked-up objects), in the order of `ids`. One query
 * for all of them, not one per id: as IN (subquery), SQLite looks each id up by the primary key.
 */
export function getMirrorObjects(
  db: Database,
  profile: string,
  type: ObjectType,
  ids: Iterable<string>,
  table: MirrorTable = "mirror",
): Map<string, SourceObject> {
  const wanted = [...ids];
  if (wanted.length === 0) return new Map();
  const list = JSON.stringify(wanted);
  const rows = db
    .prepare(
      `SELECT id, attributes, removed FROM ${TABLE[table]} WHERE profile = ? AND type = ? AND id IN (SELECT value FROM json_each(?))`,
    )
    .all(profile, type, list) as Row[];
  const members = type === "group" && table === "mirror" ? groupMembers(db, profile, list) : undefined;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const found = new Map<string, SourceObject>();
  for (const id of wanted) {
    const row = byId.get(id);
    if (row && !found.has(id)) found.set(id, toObject(type, row, members && (members.get(id) ?? [])));
  }
  return found;
}

/** A scope decision as stored with the mirror (migration 008). */
export interface StoredDecision {
  inScope: boolean;
  softDeleted: boolean;
}

/** Pending, from the decision's @wanted and the links: wanted in the target and not linked yet. */
const PENDING =
  "@wanted AND NOT EXISTS (SELECT 1 FROM links l WHERE l.profile = @profile AND l.type = @type AND l.source_id = @id)";

/** A decision's in_scope and wanted columns (none yet: neither). */
const decisionColumns = (d: StoredDecision | undefined) =>
  [d?.inScope ? 1 : 0, d?.inScope && !d.softDeleted ? 1 : 0] as const;

/**
 * Stores the scope decision of each object: in the mirror (at commit), where pending means wanted in the target and
 * not linked yet (the link triggers keep it right as links come and go), or with the staged objects of a full read.
 */
export function saveDecisions(
  db: Database,
  profile: string,
  type: ObjectType,
  decisions: Iterable<[string, StoredDecision]>,
  table: MirrorTable = "mirror",
): void {
  const update = db.prepare(
    table === "mirror"
      ? `UPDATE source_objects SET in_scope = @inScope, wanted = @wanted, pending = ${PENDING}
         WHERE profile = @profile AND type = @type AND id = @id`
      : `UPDATE temp.staged_objects SET in_scope = @inScope, wanted = @wanted
         WHERE profile = @profile AND type = @type AND id = @id`,
  );
  atomically(db, () => {
    for (const [id, d] of decisions) {
      const [inScope, wanted] = decisionColumns(d);
      update.run({ profile, type, id, inScope, wanted });
    }
  });
}

/** An object's id, attributes and removed columns, as the mirror and the staging table store them. */
const mirrorColumns = (o: SourceObject) => [o.id, JSON.stringify(o.attributes), o.removed] as const;

/** A full read's users (groups are never staged: members live in the mirror's index only). */
const STAGING = `CREATE TEMP TABLE IF NOT EXISTS staged_objects (
  profile TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, attributes TEXT NOT NULL, removed TEXT,
  in_scope INTEGER NOT NULL, wanted INTEGER NOT NULL, PRIMARY KEY (profile, type, id)) WITHOUT ROWID`;

/** Drops a type's staged objects (before staging a full read, or when its read starts again). */
export function clearStaged(db: Database, profile: string, type: ObjectType): void {
  db.exec(STAGING);
  db.prepare("DELETE FROM temp.staged_objects WHERE profile = ? AND type = ?").run(profile, type);
}

/**
 * Holds a full read's objects (with their scope decisions when made) in a temporary table (this connection's, gone
 * with it) until commit, instead of in memory for the whole cycle. The mirror itself changes only at commit.
 */
export function putStaged(
  db: Database,
  profile: string,
  type: ObjectType,
  objects: Iterable<SourceObject>,
  decisionOf: (id: string) => StoredDecision | undefined = () => undefined,
): void {
  db.exec(STAGING);
  const insert = db.prepare(
    `INSERT OR REPLACE INTO temp.staged_objects (profile, type, id, attributes, removed, in_scope, wanted)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  atomically(db, () => {
    for (const o of objects) {
      insert.run(profile, type, ...mirrorColumns(o), ...decisionColumns(decisionOf(o.id)));
    }
  });
}

/**
 * After a full read is staged: the mirror's objects it did not list are gone from the directory. A full read cannot
 * tell soft from permanent deletion, so they are staged as soft-deleted (disabled, never deleted, on that evidence).
 */
export function stageUnlisted(db: Database, profile: string, type: ObjectType): void {
  db.exec(STAGING);
  db.prepare(
    `INSERT INTO temp.staged_objects (profile, type, id, attributes, removed, in_scope, wanted)
     SELECT m.profile, m.type, m.id, m.attributes, COALESCE(m.removed, 'changed'), 0, 0 FROM source_objects m
     WHERE m.profile = ? AND m.type = ?
       AND NOT EXISTS (SELECT 1 FROM temp.staged_objects s WHERE s.profile = m.profile AND s.type = m.type AND s.id = m.id)`,
  ).run(profile, type);
}

const LINKED = "EXISTS (SELECT 1 FROM links l WHERE l.profile = s.profile AND l.type = s.type AND l.source_id = s.id)";

/**
 * Staged objects in id order: all, those linked to a target object, or those not (yet) linked. Paged by id, not offset,
 * so that objects linked between two pages do not shift them. A smaller first page (`firstLimit`) is followed by pages
 * four times longer each, up to `limit`: each page is planned while the one before is written, and planning a user
 * takes a small fraction of the time its write does, so the next page is ready when the writes of this one end.
 */
export function* stagedPages(
  db: Database,
  profile: string,
  type: ObjectType,
  limit: number,
  linked?: boolean,
  firstLimit = limit,
): Generator<SourceObject[]> {
  const condition = linked === undefined ? "" : `AND ${linked ? "" : "NOT "}${LINKED}`;
  const page = db.prepare(
    `SELECT id, attributes, removed FROM temp.staged_objects s
     WHERE s.profile = ? AND s.type = ? AND s.id > ? ${condition} ORDER BY s.id LIMIT ?`,
  );
  for (let afterId = "", size = firstLimit; ; size = Math.min(limit, size * 4)) {
    const rows = page.all(profile, type, afterId, size) as Row[];
    if (rows.length === 0) return;
    yield rows.map((r) => toObject(type, r));
    afterId = rows[rows.length - 1]!.id;
  }
}

/** Staged objects of a type; `pending`: only those wanted in the target (in scope, enabled) and not linked yet. */
export function stagedCount(db: Database, profile: string, type: ObjectType, pending = false): number {
  return db
    .prepare(
      `SELECT COUNT(*) FROM temp.staged_objects s WHERE s.profile = ? AND s.type = ?${pending ? ` AND s.wanted = 1 AND NOT ${LINKED}` : ""}`,
    )
    .pluck()
    .get(profile, type) as number;
}

/** Replaces a type's mirror with what was staged, decisions included (at commit, inside its transaction). */
export function commitStagedMirror(db: Database, profile: string, type: ObjectType): void {
  db.exec(STAGING);
  db.prepare("DELETE FROM source_objects WHERE profile = ? AND type = ?").run(profile, type);
  db.prepare(
    `INSERT INTO source_objects (profile, type, id, attributes, removed, in_scope, wanted, pending)
     SELECT s.profile, s.type, s.id, s.attributes, s.removed, s.in_scope, s.wanted,
       s.wanted AND NOT ${LINKED}
     FROM temp.staged_objects s WHERE s.profile = ? AND s.type = ?`,
  ).run(profile, type);
  db.prepare("DELETE FROM temp.staged_objects WHERE profile = ? AND type = ?").run(profile, type);
}

/** Objects wanted in the target that are not linked to a target object (served by a partial index). */
export function pendingIds(db: Database, profile: string, type: ObjectType): string[] {
  return db
    .prepare("SELECT id FROM source_objects WHERE profile = ? AND type = ? AND pending = 1")
    .pluck()
    .all(profile, type) as string[];
}

/** Those of `ids` the last committed cycle wanted in the target (in scope, not soft-deleted), by primary key. */
export function storedWanted(db: Database, profile: string, type: ObjectType, ids: Iterable<string>): Set<string> {
  const one = db.prepare("SELECT wanted FROM source_objects WHERE profile = ? AND type = ? AND id = ?").pluck();
  const wanted = new Set<string>();
  for (const id of ids) if (one.get(profile, type, id) === 1) wanted.add(id);
  return wanted;
}

/** In-scope objects per the stored decisions: of the whole mirror, or of `ids` only. */
export function storedInScope(db: Database, profile: string, ids?: { type: ObjectType; id: string }[]): number {
  if (!ids) {
    return db
      .prepare("SELECT COUNT(*) FROM source_objects WHERE profile = ? AND in_scope = 1")
      .pluck()
      .get(profile) as number;
  }
  const one = db.prepare("SELECT in_scope FROM source_objects WHERE profile = ? AND type = ? AND id = ?").pluck();
  let n = 0;
  for (const { type, id } of ids) if (one.get(profile, type, id) === 1) n++;
  return n;
}

/** The mirrored groups that have any of `memberIds` as a direct member (migration 009). */
export function groupsWithMembers(db: Database, profile: string, memberIds: string[]): string[] {
  if (memberIds.length === 0) return [];
  return db
    .prepare(
      // Without statistics SQLite would rather scan the profile's memberships by the primary key.
      `SELECT DISTINCT group_id FROM source_objects_members INDEXED BY source_objects_members_by_member
       WHERE profile = ? AND member_id IN (SELECT value FROM json_each(?))`,
    )
    .pluck()
    .all(profile, JSON.stringify(memberIds)) as string[];
}

/** Links recorded, moved or forgotten that no committed cycle has planned memberships for (migration 008). */
export function linkChanges(db: Database, profile: string): { type: ObjectType; id: string }[] {
  return db.prepare("SELECT type, source_id AS id FROM link_changes WHERE profile = ?").all(profile) as {
    type: ObjectType;
    id: string;
  }[];
}

/** Forgets link changes whose consequences a committed cycle planned. */
export function clearLinkChanges(db: Database, profile: string, changes: Iterable<{ type: ObjectType; id: string }>) {
  const remove = db.prepare("DELETE FROM link_changes WHERE profile = ? AND type = ? AND source_id = ?");
  for (const c of changes) remove.run(profile, c.type, c.id);
}

/**
 * Writes objects into the mirror, each with its scope decision when `decisionOf` has one (in the same statement, as
 * saveDecisions would store it; without one the stored decision stays), and a group's members into the members index.
 * `replace` drops the type's previous content first (after a full read).
 */
export function saveMirror(
  db: Database,
  profile: string,
  type: ObjectType,
  objects: Iterable<SourceObject>,
  replace: boolean,
  decisionOf: (id: string) => StoredDecision | undefined = () => undefined,
): void {
  const upsert = db.prepare(
    `INSERT INTO source_objects (profile, type, id, attributes, removed) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (profile, type, id) DO UPDATE SET attributes = excluded.attributes, removed = excluded.removed`,
  );
  const upsertDecided = db.prepare(
    `INSERT INTO source_objects (profile, type, id, attributes, removed, in_scope, wanted, pending)
     VALUES (@profile, @type, @id, @attributes, @removed, @inScope, @wanted, ${PENDING})
     ON CONFLICT (profile, type, id) DO UPDATE SET attributes = excluded.attributes, removed = excluded.removed,
       in_scope = excluded.in_scope, wanted = excluded.wanted, pending = excluded.pending`,
  );
  const members = type === "group" ? memberIndex(db, profile) : undefined;
  atomically(db, () => {
    // The delete trigger empties the deleted groups' members index (migration 009).
    if (replace) db.prepare("DELETE FROM source_objects WHERE profile = ? AND type = ?").run(profile, type);
    for (const o of objects) {
      const columns = mirrorColumns(o);
      const decision = decisionOf(o.id);
      if (decision) {
        const [id, attributes, removed] = columns;
        const [inScope, wanted] = decisionColumns(decision);
        upsertDecided.run({ profile, type, id, attributes, removed, inScope, wanted });
      } else upsert.run(profile, type, ...columns);
      members?.keep(o.id, o.members ?? [], replace);
    }
  });
}

/**
 * Keeps a group's rows of the members index to its members (migration 011): only those that changed are written, so
 * a group that gained one member costs one row. `fresh`: the group has no rows yet (after a full read's delete).
 */
function memberIndex(db: Database, profile: string) {
  const current = db.prepare("SELECT member_id FROM source_objects_members WHERE profile = ? AND group_id = ?").pluck();
  const remove = db.prepare("DELETE FROM source_objects_members WHERE profile = ? AND group_id = ? AND member_id = ?");
  const add = db.prepare(
    "INSERT OR IGNORE INTO source_objects_members (profile, group_id, member_id, member_type) VALUES (?, ?, ?, ?)",
  );
  return {
    keep(groupId: string, members: MemberRef[], fresh: boolean) {
      const old = new Set(fresh ? [] : (current.all(profile, groupId) as string[]));
      const now = new Set<string>();
      for (const m of members) {
        now.add(m.id);
        if (!old.has(m.id)) add.run(profile, groupId, m.id, m.type);
      }
      for (const id of old) if (!now.has(id)) remove.run(profile, groupId, id);
    },
  };
}

export function getDeltaLink(db: Database, profile: string, kind: DeltaKind): string | undefined {
  const row = db.prepare("SELECT link FROM delta_links WHERE profile = ? AND kind = ?").get(profile, kind) as
    { link: string } | undefined;
  return row?.link;
}

export function setDeltaLink(db: Database, profile: string, kind: DeltaKind, link: string): void {
  db.prepare(
    "INSERT INTO delta_links (profile, kind, link) VALUES (?, ?, ?) ON CONFLICT (profile, kind) DO UPDATE SET link = excluded.link",
  ).run(profile, kind, link);
}

/** Restart: the next cycle reads everything again (links are kept). */
export function clearDeltaLinks(db: Database, profile: string): void {
  db.prepare("DELETE FROM delta_links WHERE profile = ?").run(profile);
}

/** The inputs the last committed cycle evaluated with (migration 006). */
export interface EvaluationInputs {
  rulesHash: string;
  assignments: { userIds: string[]; groupIds: string[] } | null;
  /** In-scope objects of the mirror it committed (migration 008; absent before). */
  inScope?: number;
}

export function getEvaluationInputs(db: Database, profile: string): EvaluationInputs | undefined {
  const row = db
    .prepare("SELECT rules_hash, assignments, in_scope FROM evaluation_inputs WHERE profile = ?")
    .get(profile) as { rules_hash: string; assignments: string | null; in_scope: number | null } | undefined;
  if (!row) return undefined;
  return {
    rulesHash: row.rules_hash,
    assignments: row.assignments == null ? null : parseJson<EvaluationInputs["assignments"]>(row.assignments, null),
    ...(row.in_scope == null ? {} : { inScope: row.in_scope }),
  };
}

export function setEvaluationInputs(db: Database, profile: string, inputs: EvaluationInputs): void {
  db.prepare(
    `INSERT INTO evaluation_inputs (profile, rules_hash, assignments, in_scope) VALUES (?, ?, ?, ?)
     ON CONFLICT (profile) DO UPDATE SET rules_hash = excluded.rules_hash, assignments = excluded.assignments,
       in_scope = excluded.in_scope`,
  ).run(
    profile,
    inputs.rulesHash,
    inputs.assignments ? JSON.stringify(inputs.assignments) : null,
    inputs.inScope ?? null,
  );
}
