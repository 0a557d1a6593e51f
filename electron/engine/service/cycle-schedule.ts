import type { Database } from "better-sqlite3";
import type { Profile } from "../../../shared/config/profile";
import { quarantineStreak } from "../db";
import type { ProfileStore } from "../db/profile-store";
import { createScheduler, type SchedulerClock } from "../scheduler";
import type { ActiveProfile } from "./active-profile";
import { EngineError } from "./errors";

const HOUR = 3_600_000;
/** Entra's quarantine back-off: retry after 6 h, 12 h, then daily. */
const QUARANTINE_DELAYS = [6 * HOUR, 12 * HOUR, 24 * HOUR];

/** Runs cycles on the profile's schedule, backing off while the profile is in quarantine. */
export function createCycleSchedule(deps: {
  db: Database;
  store: ProfileStore;
  active: ActiveProfile;
  clock?: SchedulerClock;
  run: () => Promise<unknown>;
  onChange: () => void;
  warn: (message: string) => void;
}) {
  const { active } = deps;
  const scheduler = createScheduler({
    run: async () => void (await deps.run()),
    delayMs: () => {
      const streak = quarantineStreak(deps.db, active.secretName(), QUARANTINE_DELAYS.length);
      return streak > 0
        ? QUARANTINE_DELAYS[Math.min(streak, QUARANTINE_DELAYS.length) - 1]!
        : (active.profile?.schedule.intervalMinutes ?? 40) * 60_000;
    },
    paused: active.profile?.schedule.paused ?? false,
    clock: deps.clock,
    onChange: deps.onChange,
    onError: (error) =>
      deps.warn(`Scheduled cycle did not run: ${error instanceof Error ? error.message : String(error)}`),
  });
  return {
    scheduler,
    /** New settings count from now; with no usable profile left (deleted, invalid) nothing is scheduled. */
    follow(profile: Profile | null) {
      if (!profile) scheduler.stop();
      else {
        if (profile.schedule.paused) scheduler.pause();
        else if (scheduler.paused) scheduler.resume();
        scheduler.start();
      }
    },
    /** Pauses or resumes here and stores the choice in the profile, so other processes follow it. */
    setPaused(paused: boolean) {
      active.sync();
      if (paused) scheduler.pause();
      else scheduler.resume();
      const { profile, revision } = active;
      if (profile && revision !== null) {
        const next = { ...profile, schedule: { ...profile.schedule, paused } };
        if (deps.store.put(next.name, JSON.stringify(next), revision).status === "conflict")
          throw new EngineError("config", "The profile was changed elsewhere at the same moment. Try again.");
        active.sync();
      }
    },
  };
}
