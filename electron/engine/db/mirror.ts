import type { Database } from "better-sqlite3";
import { parseJson } from "./json";
import type { DeltaKind, MemberRef, ObjectType, SourceObject } from "./types";

interface Row {
  id: string;
  attributes: string;
  members: string | null;
  removed: SourceObject["removed"];
}

/** The local mirror of one object type. */
export function loadMirror(db: Database, profile: string, type: ObjectType): Map<string, SourceObject> {
  const rows = db
    .prepare("SELECT id, attributes, members, removed FROM source_objects WHERE profile = ? AND type = ?")
    .all(profile, type) as Row[];
  return new Map(
    rows.map((r) => [
      r.id,
      {
        type,
        id: r.id,
        attributes: parseJson<Record<string, unknown>>(r.attributes, {}),
        ...(r.members == null ? {} : { members: parseJson<MemberRef[]>(r.members, []) }),
        removed: r.removed,
      },
    ]),
  );
}

/** Writes objects into the mirror; `replace` drops the type's previous content first (after a full read). */
export function saveMirror(
  db: Database,
  profile: string,
  type: ObjectType,
  objects: Iterable<SourceObject>,
  replace: boolean,
): void {
  const upsert = db.prepare(
    `INSERT INTO source_objects (profile, type, id, attributes, members, removed) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (profile, type, id) DO UPDATE SET attributes = excluded.attributes, members = excluded.members, removed = excluded.removed`,
  );
  db.transaction(() => {
    if (replace) db.prepare("DELETE FROM source_objects WHERE profile = ? AND type = ?").run(profile, type);
    for (const o of objects) {
      upsert.run(
        profile,
        type,
        o.id,
        JSON.stringify(o.attributes),
        o.members ? JSON.stringify(o.members) : null,
        o.removed,
      );
    }
  })();
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
}

export function getEvaluationInputs(db: Database, profile: string): EvaluationInputs | undefined {
  const row = db.prepare("SELECT rules_hash, assignments FROM evaluation_inputs WHERE profile = ?").get(profile) as
    { rules_hash: string; assignments: string | null } | undefined;
  if (!row) return undefined;
  return {
    rulesHash: row.rules_hash,
    assignments: row.assignments == null ? null : parseJson<EvaluationInputs["assignments"]>(row.assignments, null),
  };
}

export function setEvaluationInputs(db: Database, profile: string, inputs: EvaluationInputs): void {
  db.prepare(
    `INSERT INTO evaluation_inputs (profile, rules_hash, assignments) VALUES (?, ?, ?)
     ON CONFLICT (profile) DO UPDATE SET rules_hash = excluded.rules_hash, assignments = excluded.assignments`,
  ).run(profile, inputs.rulesHash, inputs.assignments ? JSON.stringify(inputs.assignments) : null);
}
