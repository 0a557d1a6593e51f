import type { Database, Transaction } from "better-sqlite3";

const wrappers = new WeakMap<Database, Transaction<(fn: () => unknown) => unknown>>();

/**
 * Runs `fn` all or nothing: in a transaction, or in a savepoint inside the caller's. One wrapper per database, made
 * once: `db.transaction(fn)` builds its wrappers anew on every call, a cost the engine would pay several times per
 * object.
 */
export function atomically<T>(db: Database, fn: () => T): T {
  let run = wrappers.get(db);
  if (!run) {
    run = db.transaction((f: () => unknown) => f());
    wrappers.set(db, run);
  }
  return run(fn) as T;
}
