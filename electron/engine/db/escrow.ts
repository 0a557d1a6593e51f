import type { Database } from "better-sqlite3";
import type { ObjectType } from "./types";

/** Retry delays after the 1st, 2nd, ... failure: failed objects are retried with decreasing frequency. */
const RETRY_MINUTES = [0, 40, 120, 360, 720, 1440];

export interface EscrowEntry {
  attempts: number;
  retryAfter: string;
  lastError: string;
}

export const escrowKey = (type: ObjectType, sourceId: string) => `${type}:${sourceId}`;

export function loadEscrow(db: Database, profile: string): Map<string, EscrowEntry> {
  const rows = db
    .prepare("SELECT type, source_id, attempts, retry_after, last_error FROM escrow WHERE profile = ?")
    .all(profile) as {
    type: ObjectType;
    source_id: string;
    attempts: number;
    retry_after: string;
    last_error: string;
  }[];
  return new Map(
    rows.map((r) => [
      escrowKey(r.type, r.source_id),
      { attempts: r.attempts, retryAfter: r.retry_after, lastError: r.last_error },
    ]),
  );
}

/** Counts one more failure of an object and sets when it is next tried. */
export function escrowFailure(
  db: Database,
  profile: string,
  type: ObjectType,
  sourceId: string,
  error: string,
  now: Date,
): void {
  const row = db
    .prepare("SELECT attempts FROM escrow WHERE profile = ? AND type = ? AND source_id = ?")
    .get(profile, type, sourceId) as { attempts: number } | undefined;
  const attempts = (row?.attempts ?? 0) + 1;
  const minutes = RETRY_MINUTES[Math.min(attempts - 1, RETRY_MINUTES.length - 1)] ?? 1440;
  db.prepare(
    `INSERT INTO escrow (profile, type, source_id, attempts, retry_after, last_error) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (profile, type, source_id) DO UPDATE SET attempts = excluded.attempts, retry_after = excluded.retry_after, last_error = excluded.last_error`,
  ).run(profile, type, sourceId, attempts, new Date(now.getTime() + minutes * 60_000).toISOString(), error);
}

export function clearEscrow(db: Database, profile: string, type: ObjectType, sourceId: string): void {
  db.prepare("DELETE FROM escrow WHERE profile = ? AND type = ? AND source_id = ?").run(profile, type, sourceId);
}

/** Restart: every failed object is tried again on the next cycle. */
export function clearAllEscrow(db: Database, profile: string): void {
  db.prepare("DELETE FROM escrow WHERE profile = ?").run(profile);
}
