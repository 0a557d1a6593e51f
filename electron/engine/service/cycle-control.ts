import type { Database } from "better-sqlite3";
import type { Dashboard, EscrowItem, LogEntry, Progress } from "../../../shared/ipc/model";
import type { createAlerter } from "../alerts/alerter";
import { restartProvisioning, type CycleOptions, type CycleResult } from "../cycle";
import { checkpoint, clearQuarantine, insertLogEntry, makeEscrowDue } from "../db";
import type { ProfileStore } from "../db/profile-store";
import { acquireCycleLock, withCycleLock, type CycleLockWait } from "../lock";
import { recordCycleEnd, recordStartFailure } from "../logs/cycle-end";
import type { SecretStore } from "../secrets/secret-store";
import type { ActiveProfile } from "./active-profile";
import { keptClients, type SourceClients, type TargetClients } from "./clients";
import type { OnDemandRunDeps } from "./cycle-runner";
import { EngineError, errorKind } from "./errors";
import type { EventHub } from "./events";
import { network } from "./load-network";
import type * as Network from "./network";
import { stateDamagedEntry } from "./profile-ops";
import type { EngineLogger } from "./service";

/** Cycles run in this process (one at a time, under the cycle lock), their cancel, restart and retries. */
export function createCycleControl(deps: {
  db: Database;
  dataDir: string;
  /** Shown to whoever finds the cycle lock taken. */
  owner: string;
  secrets: SecretStore;
  store: ProfileStore;
  hub: EventHub;
  alerter: ReturnType<typeof createAlerter>;
  active: ActiveProfile;
  logger?: EngineLogger;
  /** Counts the next scheduled cycle from now. */
  reschedule: () => void;
  dashboard: () => Dashboard;
  emitDashboard: () => void;
}) {
  const { db, dataDir, owner, secrets, store, hub, alerter, active, emitDashboard } = deps;
  let current: Promise<CycleResult> | null = null;
  /** Cancels the running cycle. */
  let cancel: AbortController | null = null;
  let progress: Progress | null = null;
  let startError: string | null = null;
  const emitLog = (entry: LogEntry) => hub.emit("log.entry", entry);
  /** Cycles and on-demand provisioning run one at a time: they take turns with the same connections. */
  const kept = keptClients();

  /** Opens both sides (on the connections kept from the cycle before) and runs `work` under the cycle lock. */
  async function withClients<T>(
    work: (source: SourceClients, target: TargetClients) => Promise<T>,
    signal?: AbortSignal,
    lockWait?: CycleLockWait,
  ): Promise<T> {
    const ready = active.requireRunnable();
    const { openSource, openTarget } = await network();
    const source = await openSource(ready, secrets, dataDir, { signal, shareToken: true, kept });
    const target = await openTarget(ready, secrets, dataDir, signal, kept);
    return withCycleLock(dataDir, owner, () => work(source, target), lockWait);
  }

  /** Provision on demand of a user or a group: not while a cycle runs here, under the cycle lock, live log entries. */
  async function onDemand<T>(
    what: "user" | "group",
    run: (net: typeof Network, deps: OnDemandRunDeps) => Promise<T>,
  ): Promise<T> {
    if (current)
      throw new EngineError("locked", `A cycle is running in this app. Provision the ${what} once it has finished.`);
    const net = await network();
    const result = await withClients((source, target) =>
      run(net, { db, profile: active.requireProfile(), rules: active.rules().rules, source, target, onLog: emitLog }),
    );
    emitDashboard();
    return result;
  }

  async function runCycle(cycleOptions: CycleOptions, lockWait?: CycleLockWait): Promise<CycleResult> {
    if (current)
      throw new EngineError(
        "locked",
        "A cycle is already running in this app. Wait for it to finish (see the progress on the dashboard).",
      );
    const controller = new AbortController();
    const run = (async () => {
      const { runEngineCycle } = await network();
      try {
        const result = await withClients(
          (source, target) =>
            runEngineCycle({
              db,
              profile: active.requireProfile(),
              rules: active.rules().rules,
              source,
              target,
              options: cycleOptions,
              signal: controller.signal,
              onProgress: (update) => {
                progress = update;
                hub.emit("cycle.progress", update);
              },
              onLog: emitLog,
            }),
          controller.signal,
          lockWait,
        );
        const { summary } = result;
        const ran = active.requireProfile();
        recordCycleEnd({ db, profile: ran, summary, cause: result.failure?.error, now: new Date(), onLog: emitLog });
        await alerter.afterCycle(ran, { summary, failureKind: result.failure?.kind ?? null });
        startError = null;
        const notice = store.stateNotice();
        if (notice && !summary.dryRun) {
          // The full cycle that re-linked everything after the damage carries the explanation in its log.
          emitLog(insertLogEntry(db, ran.name, stateDamagedEntry(summary, notice)));
          store.setStateNotice(null);
        }
        hub.emit("cycle.finished", summary);
        return result;
      } catch (error) {
        // The cycle could not start (profile, secrets, lock, files): nothing was recorded, so the status carries it.
        startError = error instanceof Error ? error.message : String(error);
        deps.logger?.error(`Cycle did not start: ${startError}`);
        const { profile } = active;
        if (profile) {
          try {
            recordStartFailure(db, profile.name, cycleOptions, error, new Date(), emitLog);
          } catch (recordError) {
            deps.logger?.warn(`The failed start could not be logged: ${String(recordError)}`);
          }
          await alerter.afterCycle(profile, { summary: null, failureKind: errorKind(error), error: startError });
        }
        throw error;
      }
    })();
    current = run;
    cancel = controller;
    emitDashboard();
    try {
      return await run;
    } finally {
      current = null;
      cancel = null;
      progress = null;
      if (!cycleOptions.dryRun) deps.reschedule();
      emitDashboard();
      // Once whoever waits for the cycle has its result.
      setImmediate(() => checkpoint(db));
    }
  }

  const provisionNow = async (cycleOptions: CycleOptions) => (await runCycle(cycleOptions)).summary;

  return {
    runCycle,
    provisionNow,
    get running() {
      return current !== null;
    },
    get cancelling() {
      return cancel?.signal.aborted ?? false;
    },
    get progress() {
      return progress;
    },
    /** Why the last cycle could not start; null once one has. */
    get startError() {
      return startError;
    },
    /** Settles when the cycle running here (if any) has ended, however it ended. */
    finished: async () => void (await current?.catch(() => undefined)),
    /** Once no cycle runs any more: closes the connections kept between cycles. */
    closeConnections: () => kept.close(),
    cancel() {
      if (cancel && !cancel.signal.aborted) {
        cancel.abort();
        deps.logger?.info("Cancelling the running cycle: requests in flight finish, nothing further is sent.");
        emitDashboard();
      }
      return deps.dashboard();
    },
    restart() {
      const ready = active.requireProfile();
      if (current)
        throw new EngineError("locked", "A cycle is running. Cancel it or wait for it to finish, then restart.");
      // Under the cycle lock, so a cycle in another process cannot commit delta links over the restart.
      const lock = acquireCycleLock(dataDir, owner);
      try {
        restartProvisioning(db, ready.name);
      } finally {
        lock.release();
      }
      deps.logger?.info("Provisioning restarted: the next cycle reads everything again.");
      deps.reschedule();
      emitDashboard();
      return deps.dashboard();
    },
    async retryNow() {
      clearQuarantine(db, active.requireRunnable().name);
      return provisionNow({ dryRun: false, full: false, allowDeletes: false });
    },
    async retryEscrowed(type: EscrowItem["type"], sourceId: string) {
      const name = active.requireRunnable().name;
      if (!makeEscrowDue(db, name, type, sourceId, new Date()))
        throw new EngineError(
          "notFound",
          `This ${type} is no longer held after a failure: a cycle has tried it since. See the log for how it went.`,
        );
      return provisionNow({ dryRun: false, full: false, allowDeletes: false });
    },
    provisionOne: (user: string) => onDemand("user", (net, run) => net.runProvisionOne(run, user)),
    provisionGroup: (group: string, members?: string[]) =>
      onDemand("group", (net, run) => net.runProvisionGroup(run, group, members)),
  };
}
export type CycleControl = ReturnType<typeof createCycleControl>;
