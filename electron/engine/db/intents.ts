import type { Database } from "better-sqlite3";
import { atomically } from "./atomically";
import { parseJson } from "./json";
import type { ObjectType, TargetValues } from "./types";

/** A create about to be sent: enough to find the object in the target if the process dies before the answer. */
export interface Intent {
  type: ObjectType;
  sourceId: string;
  action: "create";
  /** What is sent, by target path, and the matching attribute (target path) and value to look it up by. */
  payload: { values: TargetValues; matchPath: string; matchValue: string };
  started: string;
}

/** Several intents in one transaction (written ahead for the next creates of a wave). */
export function putIntents(db: Database, profile: string, intents: Intent[]): void {
  const put = db.prepare(
    `INSERT INTO intents (profile, type, source_id, action, payload, started) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (profile, type, source_id) DO UPDATE SET action = excluded.action, payload = excluded.payload, started = excluded.started`,
  );
  atomically(db, () => {
    for (const i of intents) put.run(profile, i.type, i.sourceId, i.action, JSON.stringify(i.payload), i.started);
  });
}

export function deleteIntent(db: Database, profile: string, type: ObjectType, sourceId: string): void {
  db.prepare("DELETE FROM intents WHERE profile = ? AND type = ? AND source_id = ?").run(profile, type, sourceId);
}

export function deleteIntents(db: Database, profile: string, keys: { type: ObjectType; sourceId: string }[]): void {
  atomically(db, () => {
    for (const k of keys) deleteIntent(db, profile, k.type, k.sourceId);
  });
}

export function listIntents(db: Database, profile: string): Intent[] {
  const rows = db
    .prepare("SELECT type, source_id, action, payload, started FROM intents WHERE profile = ?")
    .all(profile) as {
    type: ObjectType;
    source_id: string;
    action: "create";
    payload: string;
    started: string;
  }[];
  return rows.map((r) => ({
    type: r.type,
    sourceId: r.source_id,
    action: r.action,
    payload: parseJson(r.payload, { values: {}, matchPath: "", matchValue: "" }),
    started: r.started,
  }));
}
