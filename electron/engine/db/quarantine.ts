import type { Database } from "better-sqlite3";

/** Leaves quarantine: the profile's cycles so far no longer count towards the back-off. */
export function clearQuarantine(db: Database, profile: string): void {
  db.prepare(
    `INSERT INTO quarantine_cleared (profile, through_cycle)
     VALUES (?, COALESCE((SELECT MAX(id) FROM cycles WHERE profile = ?), 0))
     ON CONFLICT (profile) DO UPDATE SET through_cycle = excluded.through_cycle`,
  ).run(profile, profile);
}

/** How many of the newest cycles in a row were quarantined since quarantine was last cleared (at most `max`). */
export function quarantineStreak(db: Database, profile: string, max: number): number {
  const outcomes = db
    .prepare(
      `SELECT outcome FROM cycles
       WHERE profile = ? AND id > COALESCE((SELECT through_cycle FROM quarantine_cleared WHERE profile = ?), 0)
       ORDER BY id DESC LIMIT ?`,
    )
    .pluck()
    .all(profile, profile, max) as string[];
  const streak = outcomes.findIndex((outcome) => outcome !== "quarantined");
  return streak === -1 ? outcomes.length : streak;
}
