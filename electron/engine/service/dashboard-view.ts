import type { Database } from "better-sqlite3";
import type { Dashboard } from "../../../shared/ipc/model";
import { linkCounts, listCycles } from "../db";
import type { ProfileStore } from "../db/profile-store";
import { cycleLockHolder } from "../lock";
import type { Scheduler } from "../scheduler";
import type { ActiveProfile } from "./active-profile";
import type { CycleControl } from "./cycle-control";
import type { SecretsPresence } from "./secrets-presence";
import { computeStatus } from "./status";

/** The dashboard: the profile's status, its last and next cycle, the progress of the one running. */
export function createDashboardView(deps: {
  db: Database;
  store: ProfileStore;
  dataDir: string;
  active: ActiveProfile;
  secrets: SecretsPresence;
  scheduler: Scheduler;
  cycles: CycleControl;
}) {
  const { db, active, scheduler, cycles } = deps;
  return function dashboard(): Dashboard {
    active.sync();
    const { profile } = active;
    const name = profile?.name ?? null;
    const notice = deps.store.stateNotice();
    const lastCycle = name ? (listCycles(db, name, 1)[0] ?? null) : null;
    // A cycle recorded as running that is not ours: still running in another process (it holds the lock), or cut short.
    const elsewhere = !cycles.running && lastCycle?.outcome === "running" ? cycleLockHolder(deps.dataDir) : null;
    const { status, statusMessage } = computeStatus({
      configured: profile !== null,
      blocker: active.rulesBlocker() ?? deps.secrets.blocker(active.profile),
      paused: scheduler.paused,
      running: cycles.running,
      runningElsewhere: elsewhere && (elsewhere.holder ?? { owner: "another process", pid: null }),
      cancelling: cycles.cancelling,
      lastCycle,
      lastError: cycles.startError,
    });
    return {
      profileName: name,
      status,
      statusMessage,
      lastCycle,
      nextCycleAt: scheduler.nextRunAt()?.toISOString() ?? null,
      intervalMinutes: profile?.schedule.intervalMinutes ?? null,
      progress: cycles.progress,
      linked: name ? linkCounts(db, name) : { users: 0, groups: 0 },
      ...(notice ? { notice } : {}),
    };
  };
}
