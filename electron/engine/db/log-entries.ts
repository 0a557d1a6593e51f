import type { Database } from "better-sqlite3";
import { atomically } from "./atomically";
import type { LogEntry, LogFilters, LogPage } from "../../../shared/ipc/model";
import { foldText, searchText } from "../logs/search-text";
import { parseJson } from "./json";
import { identityValues } from "./log-identity";

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
  const modified = JSON.stringify(entry.modified);
  const search = searchText(identityValues(db, profile, entry));
  const info = db
    .prepare(
      `INSERT INTO log_entries (cycle_id, profile, at, object_type, source_id, target_id, display_name, action, status, modified, steps,
        error_code, message, recommendation, request_ids, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      modified,
      JSON.stringify(entry.steps),
      entry.errorCode,
      entry.message,
      entry.recommendation,
      JSON.stringify(entry.requestIds),
      search,
    );
  return { ...entry, id: Number(info.lastInsertRowid) };
}

/** The WHERE clause for a set of filters; `at` is ISO 8601 in UTC, so text order is time order. */
function whereClause(profile: string, filters: LogFilters): { sql: string; params: unknown[] } {
  const terms = ["profile = ?"];
  const params: unknown[] = [profile];
  const anyOf = (column: string, values: readonly string[] | undefined) => {
    if (!values?.length) return;
    terms.push(`${column} IN (${values.map(() => "?").join(", ")})`);
    params.push(...values);
  };
  if (filters.cycleId !== undefined) {
    terms.push("cycle_id = ?");
    params.push(filters.cycleId);
  }
  if (filters.from) {
    terms.push("at >= ?");
    params.push(new Date(filters.from).toISOString());
  }
  if (filters.to) {
    terms.push("at <= ?");
    params.push(new Date(filters.to).toISOString());
  }
  anyOf("status", filters.status);
  anyOf("action", filters.action);
  anyOf("object_type", filters.objectType);
  // Whitespace becomes one space: the newline joining the searched fields can never be matched across.
  const needle = filters.identity ? foldText(filters.identity).trim().replace(/\s+/g, " ") : "";
  if (needle) {
    terms.push("instr(search, ?) > 0");
    params.push(needle);
  }
  return { sql: terms.join(" AND "), params };
}

/** Newest first; one cycle's entries when cycleId is given. */
export function listLogEntries(db: Database, profile: string, query: { cycleId?: number; limit: number }): LogEntry[] {
  return [...eachLogEntry(db, profile, query.cycleId === undefined ? {} : { cycleId: query.cycleId }, query.limit)];
}

const countNewer = (db: Database, sql: string, params: unknown[], cursor: number) =>
  (db.prepare(`SELECT count(*) AS n FROM log_entries WHERE ${sql} AND id >= ?`).get(...params, cursor) as { n: number })
    .n;

/** One page, newest first: entries older than `cursor` (an entry id), and the cursor of the page after it. */
export function logEntriesPage(
  db: Database,
  profile: string,
  query: LogFilters & { cursor?: number; limit: number },
): LogPage {
  const { sql, params } = whereClause(profile, query);
  const page = query.cursor === undefined ? "" : " AND id < ?";
  const rows = db
    .prepare(`SELECT * FROM log_entries WHERE ${sql}${page} ORDER BY id DESC LIMIT ?`)
    .all(...params, ...(query.cursor === undefined ? [] : [query.cursor]), query.limit + 1) as Row[];
  const more = rows.length > query.limit;
  const entries = rows.slice(0, query.limit).map(toEntry);
  // A last page already tells the total (and a rare identity match, the slow case, is usually one page).
  const total = more
    ? (db.prepare(`SELECT count(*) AS total FROM log_entries WHERE ${sql}`).get(...params) as { total: number }).total
    : (query.cursor === undefined ? 0 : countNewer(db, sql, params, query.cursor)) + entries.length;
  return { entries, nextCursor: more ? (entries.at(-1)?.id ?? null) : null, total };
}

/** Every matching entry (or the newest `limit`), newest first, read in pages: an export never holds all rows at once. */
export function* eachLogEntry(db: Database, profile: string, filters: LogFilters, limit?: number): Generator<LogEntry> {
  const { sql, params } = whereClause(profile, filters);
  const statement = db.prepare(`SELECT * FROM log_entries WHERE ${sql} AND id < ? ORDER BY id DESC LIMIT ?`);
  let after = Number.MAX_SAFE_INTEGER;
  let left = limit ?? Infinity;
  while (left > 0) {
    const rows = statement.all(...params, after, Math.min(1000, left)) as Row[];
    for (const row of rows) yield toEntry(row);
    if (rows.length < 1000) return;
    left -= rows.length;
    after = rows.at(-1)!.id;
  }
}

/**
 * Retention: deletes log entries, and finished cycles, older than `before`. The newest finished cycle stays,
 * whatever its age: the canary gate compares the next cycle with it.
 */
export function deleteOldLog(db: Database, profile: string, before: Date): { entries: number; cycles: number } {
  const cutoff = before.toISOString();
  return atomically(db, () => {
    const entries = db.prepare("DELETE FROM log_entries WHERE profile = ? AND at < ?").run(profile, cutoff).changes;
    const cycles = db
      .prepare(
        `DELETE FROM cycles WHERE profile = ? AND started_at < ? AND outcome != 'running'
         AND id != (SELECT max(id) FROM cycles WHERE profile = ? AND outcome != 'running')`,
      )
      .run(profile, cutoff, profile).changes;
    return { entries, cycles };
  });
}
