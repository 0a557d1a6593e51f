import type { Database } from "better-sqlite3";

/** An alert that is open: its reason's condition held at the end of the last cycle. */
export interface AlertState {
  reason: string;
  fingerprint: string;
  subject: string;
  openedAt: string;
  /** When its mail went out; null while no mail could be sent. */
  sentAt: string | null;
}

interface Row {
  reason: string;
  fingerprint: string;
  subject: string;
  opened_at: string;
  sent_at: string | null;
}

export function listAlerts(db: Database, profile: string): AlertState[] {
  return (
    db
      .prepare("SELECT reason, fingerprint, subject, opened_at, sent_at FROM alert_state WHERE profile = ?")
      .all(profile) as Row[]
  ).map((r) => ({
    reason: r.reason,
    fingerprint: r.fingerprint,
    subject: r.subject,
    openedAt: r.opened_at,
    sentAt: r.sent_at,
  }));
}

/** Opens an alert, or replaces one of the same reason whose fingerprint differs (it is mailed again). */
export function putAlert(db: Database, profile: string, alert: Omit<AlertState, "sentAt">): void {
  db.prepare(
    `INSERT INTO alert_state (profile, reason, fingerprint, subject, opened_at, sent_at) VALUES (?, ?, ?, ?, ?, NULL)
     ON CONFLICT (profile, reason) DO UPDATE SET fingerprint = excluded.fingerprint, subject = excluded.subject,
       opened_at = excluded.opened_at, sent_at = NULL`,
  ).run(profile, alert.reason, alert.fingerprint, alert.subject, alert.openedAt);
}

export function markAlertSent(db: Database, profile: string, reason: string, at: Date): void {
  const changes = db
    .prepare("UPDATE alert_state SET sent_at = ? WHERE profile = ? AND reason = ?")
    .run(at.toISOString(), profile, reason).changes;
  if (changes !== 1) throw new Error(`Alert "${reason}" is missing from the state database.`);
}

export function deleteAlert(db: Database, profile: string, reason: string): void {
  db.prepare("DELETE FROM alert_state WHERE profile = ? AND reason = ?").run(profile, reason);
}

export function lastDigestAt(db: Database, profile: string): string | null {
  const row = db.prepare("SELECT sent_at FROM alert_digest WHERE profile = ?").get(profile) as
    { sent_at: string } | undefined;
  return row?.sent_at ?? null;
}

export function setDigestSent(db: Database, profile: string, at: Date): void {
  db.prepare(
    "INSERT INTO alert_digest (profile, sent_at) VALUES (?, ?) ON CONFLICT (profile) DO UPDATE SET sent_at = excluded.sent_at",
  ).run(profile, at.toISOString());
}

export function escrowCount(db: Database, profile: string): number {
  return (db.prepare("SELECT count(*) AS n FROM escrow WHERE profile = ?").get(profile) as { n: number }).n;
}
