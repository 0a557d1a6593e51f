import type { Database } from "better-sqlite3";
import { deleteIntents, putIntents, type Intent } from "../db";
import type { ObjectWork } from "./plan-objects";

/** Longest a group of completed objects waits for its commit (what a crash can lose of the log, at most). */
const MAX_OPEN_MS = 200;
/** Creates whose intents one commit writes ahead. */
export const INTENTS_AHEAD = 32;

/**
 * Group commit for a wave of writes (objects, or groups' memberships). Every outcome (link, export record, cleared
 * intent, members recorded, log entry) used to be its own SQLite transaction, several per object, each appending the
 * same index pages to the WAL again: most of the engine's CPU per object. Here the writes of the items completed
 * meanwhile share one transaction, committed when a create's intent must be durable, after MAX_OPEN_MS, and at the end
 * of the wave.
 *
 * Crash safety is unchanged where it matters: an intent is committed (in the WAL) before its POST is sent, and it is
 * removed in the same transaction that records the created object. A crash before that commit leaves the intent, and
 * the next cycle finds the object in the target instead of creating it again (recover.ts). What a crash can lose is
 * the log entries of the last MAX_OPEN_MS, updates' export records and accepted member changes: the next cycle sends
 * those PATCHes again, and adding a member a group has, or removing one it lacks, changes nothing.
 */
export interface GroupCommit {
  /** Called after each object's writes: commits once the transaction has been open for MAX_OPEN_MS. */
  settle(): void;
  /** Makes this create's intent durable before its request leaves: written ahead with the next creates, committed. */
  intentBefore(w: ObjectWork, intent: (w: ObjectWork) => Intent): void;
  /** Commits, and removes the intents written ahead for creates that were never sent (a cancel, a fatal error). */
  close(): void;
}

export function groupCommit(db: Database, profile: string, creates: ObjectWork[]): GroupCommit {
  // A caller already inside a transaction keeps its own; nothing is grouped then.
  const owned = !db.inTransaction;
  let openedAt = 0;
  const begin = () => {
    if (!owned) return;
    db.prepare("BEGIN").run();
    openedAt = performance.now();
  };
  const commit = () => {
    // An I/O error may have rolled the transaction back already; the error itself was thrown where it happened.
    if (owned && db.inTransaction) db.prepare("COMMIT").run();
  };
  const position = new Map(creates.map((w, i) => [w, i]));
  /** Intents written and committed whose request has not started yet. */
  const ahead = new Set<ObjectWork>();
  begin();
  return {
    settle() {
      if (owned && performance.now() - openedAt >= MAX_OPEN_MS) {
        commit();
        begin();
      }
    },
    intentBefore(w, intent) {
      if (ahead.delete(w)) return;
      const at = position.get(w);
      const batch = [w];
      if (at !== undefined)
        for (let i = at + 1; i < creates.length && batch.length < INTENTS_AHEAD; i++) batch.push(creates[i]!);
      putIntents(db, profile, batch.map(intent));
      for (const next of batch.slice(1)) ahead.add(next);
      commit();
      begin();
    },
    close() {
      if (ahead.size > 0)
        deleteIntents(
          db,
          profile,
          [...ahead].map((w) => ({ type: w.type, sourceId: w.sourceId })),
        );
      ahead.clear();
      commit();
    },
  };
}
