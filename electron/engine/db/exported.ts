import type { Database } from "better-sqlite3";
import { atomically } from "./atomically";
import { parseJson } from "./json";
import type { ObjectType, TargetValues } from "./types";

/**
 * The values last exported per object, by target path: of every object, or of `ids` only (an incremental cycle's few
 * evaluations).
 */
export function loadExported(
  db: Database,
  profile: string,
  type: ObjectType,
  ids?: Iterable<string> | null,
): Map<string, TargetValues> {
  // The objects of `ids` in one query (as IN (subquery), each looked up by the primary key), or the type's all.
  const rows = (
    ids
      ? db
          .prepare(
            `SELECT source_id, "values" AS v FROM exported WHERE profile = ? AND type = ? AND source_id IN (SELECT value FROM json_each(?))`,
          )
          .all(profile, type, JSON.stringify([...ids]))
      : db.prepare(`SELECT source_id, "values" AS v FROM exported WHERE profile = ? AND type = ?`).all(profile, type)
  ) as { source_id: string; v: string }[];
  return new Map(rows.map((r) => [r.source_id, parseJson<TargetValues>(r.v, {})]));
}

export function putExported(
  db: Database,
  profile: string,
  type: ObjectType,
  sourceId: string,
  values: TargetValues,
  now: Date,
): void {
  db.prepare(
    `INSERT INTO exported (profile, type, source_id, "values", updated) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (profile, type, source_id) DO UPDATE SET "values" = excluded."values", updated = excluded.updated`,
  ).run(profile, type, sourceId, JSON.stringify(values), now.toISOString());
}

/**
 * group source id → (member source id → member target id), as the target holds them per our last export: of every
 * group, or of `groupIds` only (served by the primary key), and of the groups in `only` just those members.
 */
export function loadGroupMembers(
  db: Database,
  profile: string,
  groupIds?: Iterable<string>,
  only?: Map<string, Set<string>>,
): Map<string, Map<string, string>> {
  const byGroup = new Map<string, Map<string, string>>();
  const add = (rows: Iterable<{ g: string; m: string; t: string }>) => {
    for (const r of rows) {
      let members = byGroup.get(r.g);
      if (!members) byGroup.set(r.g, (members = new Map()));
      members.set(r.m, r.t);
    }
  };
  const select =
    "SELECT group_source_id AS g, member_source_id AS m, member_target_id AS t FROM group_members_exported WHERE profile = ?";
  if (!groupIds) {
    add(db.prepare(select).iterate(profile) as IterableIterator<{ g: string; m: string; t: string }>);
    return byGroup;
  }
  const one = db.prepare(`${select} AND group_source_id = ?`);
  const pair = db.prepare(`${select} AND group_source_id = ? AND member_source_id = ?`);
  for (const id of groupIds) {
    const members = only?.get(id);
    if (!members) add(one.all(profile, id) as { g: string; m: string; t: string }[]);
    else for (const m of members) add(pair.all(profile, id, m) as { g: string; m: string; t: string }[]);
  }
  return byGroup;
}

/** Records one membership PATCH that the target accepted. */
export function recordMembershipChange(
  db: Database,
  profile: string,
  groupSourceId: string,
  added: { sourceId: string; targetId: string }[],
  removedSourceIds: string[],
): void {
  const add = db.prepare(
    `INSERT INTO group_members_exported (profile, group_source_id, member_source_id, member_target_id) VALUES (?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET member_target_id = excluded.member_target_id`,
  );
  const remove = db.prepare(
    "DELETE FROM group_members_exported WHERE profile = ? AND group_source_id = ? AND member_source_id = ?",
  );
  atomically(db, () => {
    for (const id of removedSourceIds) remove.run(profile, groupSourceId, id);
    for (const m of added) add.run(profile, groupSourceId, m.sourceId, m.targetId);
  });
}

/** What a group holds in the target as read from it (adoption): replaces whatever was recorded for the group. */
export function replaceGroupMembers(
  db: Database,
  profile: string,
  groupSourceId: string,
  members: { sourceId: string; targetId: string }[],
): void {
  const clear = db.prepare("DELETE FROM group_members_exported WHERE profile = ? AND group_source_id = ?");
  const add = db.prepare(
    "INSERT INTO group_members_exported (profile, group_source_id, member_source_id, member_target_id) VALUES (?, ?, ?, ?)",
  );
  atomically(db, () => {
    clear.run(profile, groupSourceId);
    for (const m of members) add.run(profile, groupSourceId, m.sourceId, m.targetId);
  });
}
