import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  clearQuarantine,
  deleteProfileState,
  emptyCounts,
  finishCycle,
  migrate,
  openDatabase,
  quarantineStreak,
  renameProfileState,
  startCycle,
} from "../../../electron/engine/db";
import { MIGRATIONS } from "../../../electron/engine/db/migrations";
import type { CycleOutcome } from "../../../shared/ipc/model";

const at = new Date("2026-12-01T10:00:00.000Z");

function cycle(db: Database.Database, profile: string, outcome: CycleOutcome): void {
  const summary = startCycle(db, profile, "incremental", false, at);
  finishCycle(db, { ...summary, outcome, endedAt: at.toISOString(), counts: emptyCounts(), durationMs: 1 }, null);
}

describe("quarantine state", () => {
  it("migration 5 adds quarantine_cleared to a version-4 database", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 4));
    migrate(db);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    const cols = (db.prepare("PRAGMA table_info(quarantine_cleared)").all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(["profile", "through_cycle"]);
  });

  it("counts the quarantined cycles in a row since quarantine was last cleared, per profile", () => {
    const db = openDatabase(":memory:");
    expect(quarantineStreak(db, "p", 3)).toBe(0);
    cycle(db, "p", "succeeded");
    cycle(db, "p", "quarantined");
    cycle(db, "p", "quarantined");
    cycle(db, "other", "quarantined");
    expect(quarantineStreak(db, "p", 3)).toBe(2);
    expect(quarantineStreak(db, "p", 1)).toBe(1);

    clearQuarantine(db, "p");
    expect(quarantineStreak(db, "p", 3)).toBe(0);
    expect(quarantineStreak(db, "other", 3)).toBe(1);
    // Quarantined again after the restart: the back-off starts over from one.
    cycle(db, "p", "quarantined");
    expect(quarantineStreak(db, "p", 3)).toBe(1);
    clearQuarantine(db, "p");
    expect(quarantineStreak(db, "p", 3)).toBe(0);

    // The state follows a renamed profile and goes with a deleted one.
    renameProfileState(db, "p", "q");
    cycle(db, "q", "quarantined");
    expect(quarantineStreak(db, "q", 3)).toBe(1);
    deleteProfileState(db, "q");
    expect(db.prepare("SELECT count(*) FROM quarantine_cleared").pluck().get()).toBe(0);
  });
});
