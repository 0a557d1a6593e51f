import type { Database } from "better-sqlite3";
import { atomically } from "./atomically";
import type { ObjectType } from "./types";

/** Retry delays after the 1st, 2nd, ... failure: failed objects are retried with decreasing frequency. */
const RETRY_MINUTES = [0, 40, 120, 360, 720, 1440];
/**
 * Back-off for a refusal that only a change in Entra or the target can lift (a member limit, an invalid value): never
 * the next cycle, then less and less often. A change to the object in Entra retries it at once (see the planning).
 */
const LASTING_RETRY_MINUTES = [40, 120, 360, 720, 1440];

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

export interface EscrowRow {
  type: ObjectType;
  sourceId: string;
  /** From the mirror of Entra; the id when the object is no longer there. */
  displayName: string;
  error: string;
  attempts: number;
  nextAttemptAt: string;
}

/** The objects held back after failures, soonest retry first (the window's escrow list). */
export function listEscrow(db: Database, profile: string): EscrowRow[] {
  return db
    .prepare(
      `SELECT e.type, e.source_id AS sourceId,
              COALESCE(json_extract(s.attributes, '$.displayName'), e.source_id) AS displayName,
              e.last_error AS error, e.attempts, e.retry_after AS nextAttemptAt
       FROM escrow e LEFT JOIN source_objects s ON s.profile = e.profile AND s.type = e.type AND s.id = e.source_id
       WHERE e.profile = ? ORDER BY e.retry_after, e.type, e.source_id`,
    )
    .all(profile) as EscrowRow[];
}

/** Counts one more failure of an object and sets when it is next tried. */
export function escrowFailure(
  db: Database,
  profile: string,
  type: ObjectType,
  sourceId: string,
  error: string,
  now: Date,
  options: { lasting?: boolean } = {},
): void {
  const row = db
    .prepare("SELECT attempts FROM escrow WHERE profile = ? AND type = ? AND source_id = ?")
    .get(profile, type, sourceId) as { attempts: number } | undefined;
  const attempts = (row?.attempts ?? 0) + 1;
  const schedule = options.lasting ? LASTING_RETRY_MINUTES : RETRY_MINUTES;
  const minutes = schedule[Math.min(attempts - 1, schedule.length - 1)] ?? 1440;
  db.prepare(
    `INSERT INTO escrow (profile, type, source_id, attempts, retry_after, last_error) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (profile, type, source_id) DO UPDATE SET attempts = excluded.attempts, retry_after = excluded.retry_after, last_error = excluded.last_error`,
  ).run(profile, type, sourceId, attempts, new Date(now.getTime() + minutes * 60_000).toISOString(), error);
}

export function clearEscrow(db: Database, profile: string, type: ObjectType, sourceId: string): void {
  db.prepare("DELETE FROM escrow WHERE profile = ? AND type = ? AND source_id = ?").run(profile, type, sourceId);
}

/**
 * "Retry now" on one held object: its back-off ends now, with the refused membership changes of the group (or of the
 * user as a member), so the next cycle tries it even though nothing changed in Entra. False when it is not held.
 */
export function makeEscrowDue(db: Database, profile: string, type: ObjectType, sourceId: string, now: Date): boolean {
  const at = now.toISOString();
  return atomically(db, () => {
    const held = db
      .prepare("UPDATE escrow SET retry_after = ? WHERE profile = ? AND type = ? AND source_id = ?")
      .run(at, profile, type, sourceId).changes;
    const members = db
      .prepare(
        `UPDATE membership_escrow SET retry_after = ? WHERE profile = ? AND ${type === "group" ? "group_source_id" : "member_source_id"} = ?`,
      )
      .run(at, profile, sourceId).changes;
    return held + members > 0;
  });
}

/** Restart: every failed object and refused membership is tried again on the next cycle. */
export function clearAllEscrow(db: Database, profile: string): void {
  atomically(db, () => {
    db.prepare("DELETE FROM escrow WHERE profile = ?").run(profile);
    db.prepare("DELETE FROM membership_escrow WHERE profile = ?").run(profile);
  });
}

export interface MembershipEscrowEntry {
  op: "add" | "remove";
  attempts: number;
  retryAfter: string;
  errorCode: string;
  lastError: string;
  recommendation: string | null;
}

/** group source id → member source id → the member's refused change. */
export function loadMembershipEscrow(db: Database, profile: string): Map<string, Map<string, MembershipEscrowEntry>> {
  const rows = db
    .prepare(
      `SELECT group_source_id AS g, member_source_id AS m, op, attempts, retry_after, error_code, last_error, recommendation
       FROM membership_escrow WHERE profile = ?`,
    )
    .all(profile) as {
    g: string;
    m: string;
    op: "add" | "remove";
    attempts: number;
    retry_after: string;
    error_code: string;
    last_error: string;
    recommendation: string | null;
  }[];
  const byGroup = new Map<string, Map<string, MembershipEscrowEntry>>();
  for (const r of rows) {
    let members = byGroup.get(r.g);
    if (!members) byGroup.set(r.g, (members = new Map()));
    members.set(r.m, {
      op: r.op,
      attempts: r.attempts,
      retryAfter: r.retry_after,
      errorCode: r.error_code,
      lastError: r.last_error,
      recommendation: r.recommendation,
    });
  }
  return byGroup;
}

export interface MembershipRefusal {
  errorCode: string;
  message: string;
  recommendation: string | null;
  /** Only a change in Entra or the target lifts it: the first retry waits too. */
  lasting: boolean;
}

/** Counts one more refusal of each member's change and sets when it is next sent. */
export function escrowMemberships(
  db: Database,
  profile: string,
  groupSourceId: string,
  members: { sourceId: string; op: "add" | "remove" }[],
  refusal: MembershipRefusal,
  now: Date,
): void {
  const read = db.prepare(
    "SELECT attempts FROM membership_escrow WHERE profile = ? AND group_source_id = ? AND member_source_id = ? AND op = ?",
  );
  const write = db.prepare(
    `INSERT INTO membership_escrow (profile, group_source_id, member_source_id, op, attempts, retry_after, error_code, last_error, recommendation)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (profile, group_source_id, member_source_id) DO UPDATE SET op = excluded.op, attempts = excluded.attempts,
       retry_after = excluded.retry_after, error_code = excluded.error_code, last_error = excluded.last_error,
       recommendation = excluded.recommendation`,
  );
  const schedule = refusal.lasting ? LASTING_RETRY_MINUTES : RETRY_MINUTES;
  atomically(db, () => {
    for (const m of members) {
      const row = read.get(profile, groupSourceId, m.sourceId, m.op) as { attempts: number } | undefined;
      const attempts = (row?.attempts ?? 0) + 1;
      const minutes = schedule[Math.min(attempts - 1, schedule.length - 1)] ?? 1440;
      const retryAfter = new Date(now.getTime() + minutes * 60_000).toISOString();
      write.run(
        profile,
        groupSourceId,
        m.sourceId,
        m.op,
        attempts,
        retryAfter,
        refusal.errorCode,
        refusal.message,
        refusal.recommendation,
      );
    }
  });
}

/** The members' changes went through: they leave escrow. */
export function clearMembershipEscrow(db: Database, profile: string, groupSourceId: string, memberIds: string[]): void {
  const del = db.prepare(
    "DELETE FROM membership_escrow WHERE profile = ? AND group_source_id = ? AND member_source_id = ?",
  );
  atomically(db, () => {
    for (const id of memberIds) del.run(profile, groupSourceId, id);
  });
}
