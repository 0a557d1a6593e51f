import type { Database } from "better-sqlite3";
import { isIdentityAttribute } from "../logs/search-text";
import { parseJson } from "./json";

/** Mirror properties an admin may search a log entry by, besides its own display name and ids. */
const MIRROR_IDENTITY = `SELECT json_extract(attributes, '$.userPrincipalName') AS upn, json_extract(attributes, '$.mail') AS mail,
  json_extract(attributes, '$.otherMails') AS other, json_extract(attributes, '$.displayName') AS name
  FROM source_objects WHERE profile = ? AND type = ? AND id = ?`;

interface IdentityInput {
  objectType: string;
  sourceId: string;
  targetId: string | null;
  displayName: string;
  /** The entry's modified properties (a create carries userName and emails before the mirror has them). */
  modified: readonly Modified[];
}

interface Modified {
  attribute: string;
  old: unknown;
  new: unknown;
}

/** Everything a search for this entry's identity should match. */
export function identityValues(db: Database, profile: string, entry: IdentityInput): unknown[] {
  const values: unknown[] = [entry.displayName, entry.sourceId, entry.targetId];
  for (const m of entry.modified) {
    if (isIdentityAttribute(m.attribute)) values.push(m.new, m.old);
  }
  if (entry.objectType === "user" || entry.objectType === "group") {
    const row = db.prepare(MIRROR_IDENTITY).get(profile, entry.objectType, entry.sourceId) as
      { upn: unknown; mail: unknown; other: unknown; name: unknown } | undefined;
    if (row) values.push(row.upn, row.mail, row.name, ...parseJson<unknown[]>(String(row.other ?? "[]"), []));
  }
  return values;
}
