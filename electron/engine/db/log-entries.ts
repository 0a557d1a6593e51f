import type { Database } from "better-sqlite3";
import type { LogEntry } from "../../../shared/ipc/model";
import { parseJson } from "./json";

interface Row {
  id: number;
  cycle_id: number;
  at: string;
  object_type: LogEntry["objectType"];
  source_id: string;
  target_id: string | null;
  display_name: string;
  action: LogEntry["action"];
  status: LogEntry["status"];
  modified: string;
  steps: string;
  error_code: string | null;
  message: string | null;
  recommendation: string | null;
  request_ids: string;
}

const toEntry = (r: Row): LogEntry => ({
  id: r.id,
  cycleId: r.cycle_id,
  at: r.at,
  objectType: r.object_type,
  sourceId: r.source_id,
  targetId: r.target_id,
  displayName: r.display_name,
  action: r.action,
  status: r.status,
  modified: parseJson(r.modified, []),
  steps: parseJson(r.steps, []),
  errorCode: r.error_code,
  message: r.message,
  recommendation: r.recommendation,
  requestIds: parseJson(r.request_ids, []),
});

export function insertLogEntry(db: Database, profile: string, entry: Omit<LogEntry, "id">): LogEntry {
  const info = db
    .prepare(
      `INSERT INTO log_entries (cycle_id, profile, at, object_type, source_id, target_id, display_name, action, status, modified, steps,
        error_code, message, recommendation, request_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      entry.cycleId,
      profile,
      entry.at,
      entry.objectType,
      entry.sourceId,
      entry.targetId,
      entry.displayName,
      entry.action,
      entry.status,
      JSON.stringify(entry.modified),
      JSON.stringify(entry.steps),
      entry.errorCode,
      entry.message,
      entry.recommendation,
      JSON.stringify(entry.requestIds),
    );
  return { ...entry, id: Number(info.lastInsertRowid) };
}

/** Newest first; one cycle's entries when cycleId is given. */
export function listLogEntries(db: Database, profile: string, query: { cycleId?: number; limit: number }): LogEntry[] {
  const rows =
    query.cycleId === undefined
      ? db.prepare("SELECT * FROM log_entries WHERE profile = ? ORDER BY id DESC LIMIT ?").all(profile, query.limit)
      : db
          .prepare("SELECT * FROM log_entries WHERE profile = ? AND cycle_id = ? ORDER BY id DESC LIMIT ?")
          .all(profile, query.cycleId, query.limit);
  return (rows as Row[]).map(toEntry);
}
