import type { Database, Statement } from "better-sqlite3";

/** Distinct SQL texts kept; queries are small fixed functions, so this bounds only a caller that builds SQL. */
const MAX_STATEMENTS = 500;

/**
 * Makes `db.prepare` return the statement already compiled for the same SQL: the queries are small functions that
 * prepare on every call, and compiling cost more CPU than running them in a cycle (one log entry, link and intent per
 * object). A statement still being iterated is busy and cannot run again meanwhile, so that caller gets a fresh one.
 */
export function cacheStatements(db: Database): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  db.prepare = ((sql: string) => {
    const cached = cache.get(sql);
    if (cached && !cached.busy) return cached;
    const statement = prepare(sql);
    if (!cached) {
      if (cache.size >= MAX_STATEMENTS) cache.clear();
      cache.set(sql, statement);
    }
    return statement;
  }) as Database["prepare"];
}
