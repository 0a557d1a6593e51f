import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Profile, SecretName } from "../../../shared/config/profile";
import type { ConnectionCheck, Dashboard, LogEntry, Progress } from "../../../shared/ipc/model";
import { getProfile, linkCounts, listCycles, listLogEntries, listProfiles, openDatabase, saveProfile } from "../db";
import type { HttpClient } from "../http";
import { restartProvisioning, type CycleResult } from "../cycle";
import { acquireCycleLock, cycleLockHolder, withCycleLock, type CycleLockWait } from "../lock";
import { createScheduler, type SchedulerClock } from "../scheduler";
import type { SecretStore } from "../secrets/secret-store";
import type { SourceClients, TargetClients } from "./clients";
import type * as Network from "./network";
import { EngineError } from "./errors";
import { createEventHub } from "./events";
import { parseProfileJson, profileToJson } from "./profile-io";
import { rulesView, type RulesView } from "./rules-view";
import { computeStatus } from "./status";
import type { ProvisionDeskService } from "./types";

export interface EngineLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, detail?: string): void;
}

export interface EngineServiceOptions {
  dataDir: string;
  secrets: SecretStore;
  /** Which stored profile to use; default: "default" if stored, else the first by name. */
  profileName?: string;
  logger?: EngineLogger;
  /** Run cycles on the profile's schedule (the app, browser mode). One-shot CLI commands pass false. Default true. */
  scheduled?: boolean;
  /** Shown to whoever finds the cycle lock taken, e.g. "the ProvisionDesk app". */
  owner?: string;
  clock?: SchedulerClock;
}

export const DATABASE_FILE = "state.sqlite";
const HOUR = 3_600_000;
/** Entra's quarantine back-off: retry after 6 h, 12 h, then daily. */
const QUARANTINE_DELAYS = [6 * HOUR, 12 * HOUR, 24 * HOUR];

let networkModule: Promise<typeof Network> | undefined;
const network = () => (networkModule ??= import("./network"));

export function createEngineService(options: EngineServiceOptions): ProvisionDeskService {
  const { dataDir, secrets } = options;
  const owner = options.owner ?? "ProvisionDesk";
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, DATABASE_FILE), {
    onMovedAside: (file) =>
      options.logger?.warn(
        `The state database was damaged and moved to ${file}; the next cycle re-links objects by matching.`,
      ),
  });
  const hub = createEventHub((event, error) => options.logger?.error(`A listener for ${event} failed`, String(error)));

  const pickProfileName = (): string | null => {
    if (options.profileName) return options.profileName;
    const names = listProfiles(db).map((p) => p.name);
    return names.includes("default") ? "default" : (names[0] ?? null);
  };
  let profileName = pickProfileName();
  let profile: Profile | null = profileName ? (getProfile(db, profileName) ?? null) : null;
  let secretsPresent = { clientSecret: false, scimToken: false };
  let current: Promise<CycleResult> | null = null;
  /** Cancels the running cycle. */
  let cancel: AbortController | null = null;
  let progress: Progress | null = null;
  let startError: string | null = null;
  let secretStoreProblem: string | null = null;
  /** Restart and Retry now leave quarantine: quarantined cycles up to this id no longer stretch the schedule. */
  let quarantineClearedThrough = 0;

  const secretName = () => profile?.name ?? profileName ?? "default";
  const rules = (): RulesView => rulesView(profile);
  /** The first rule problem that stops cycles, in words; null when cycles may run. */
  const rulesBlocker = () => {
    const problem = rules().problems.find((p) => p.severity === "error");
    return problem ? `Cycles are blocked until the mappings are fixed: ${problem.path}: ${problem.message}` : null;
  };

  const quarantineStreak = () => {
    let streak = 0;
    for (const cycle of listCycles(db, secretName(), QUARANTINE_DELAYS.length)) {
      if (cycle.outcome !== "quarantined" || cycle.id <= quarantineClearedThrough) break;
      streak++;
    }
    return streak;
  };
  const leaveQuarantine = () => {
    quarantineClearedThrough = (profile && listCycles(db, profile.name, 1)[0]?.id) || 0;
  };
  const scheduler = createScheduler({
    run: async () => void (await runCycle({ dryRun: false, full: false, allowDeletes: false })),
    delayMs: () => {
      const streak = quarantineStreak();
      return streak > 0
        ? QUARANTINE_DELAYS[Math.min(streak, QUARANTINE_DELAYS.length) - 1]!
        : (profile?.schedule.intervalMinutes ?? 40) * 60_000;
    },
    paused: profile?.schedule.paused ?? false,
    clock: options.clock,
    onChange: () => emitDashboard(),
    onError: (error) =>
      options.logger?.warn(`Scheduled cycle did not run: ${error instanceof Error ? error.message : String(error)}`),
  });

  /** Why no cycle can run for want of a secret, in words; null when both are there. */
  function secretsBlocker(): string | null {
    if (!profile) return null;
    if (secretStoreProblem) return secretStoreProblem;
    if (profile.source.credential.type === "secret" && !secretsPresent.clientSecret) {
      return "The Entra client secret is not set: add it under Connections (or provision-desk secret set client-secret).";
    }
    if (!secretsPresent.scimToken)
      return "The target's SCIM token is not set: add it under Connections (or provision-desk secret set scim-token).";
    return null;
  }

  function dashboard(): Dashboard {
    const name = profile?.name ?? null;
    const lastCycle = name ? (listCycles(db, name, 1)[0] ?? null) : null;
    // A cycle recorded as running that is not ours: still running in another process (it holds the lock), or cut short.
    const elsewhere = current === null && lastCycle?.outcome === "running" ? cycleLockHolder(dataDir) : null;
    const { status, statusMessage } = computeStatus({
      configured: profile !== null,
      blocker: rulesBlocker() ?? secretsBlocker(),
      paused: scheduler.paused,
      running: current !== null,
      runningElsewhere: elsewhere && (elsewhere.holder ?? { owner: "another process", pid: null }),
      cancelling: cancel?.signal.aborted ?? false,
      lastCycle,
      lastError: startError,
    });
    return {
      profileName: name,
      status,
      statusMessage,
      lastCycle,
      nextCycleAt: scheduler.nextRunAt()?.toISOString() ?? null,
      intervalMinutes: profile?.schedule.intervalMinutes ?? null,
      progress,
      linked: name ? linkCounts(db, name) : { users: 0, groups: 0 },
    };
  }
  let closed = false;
  const emitDashboard = () => {
    if (!closed) hub.emit("dashboard.changed", dashboard());
  };

  function requireProfile(): Profile {
    if (profile) return profile;
    const stored = listProfiles(db).map((p) => `"${p.name}"`);
    const which =
      options.profileName && stored.length > 0
        ? `No profile named "${options.profileName}" is stored in ${dataDir} (there is ${stored.join(", ")})`
        : `No profile is set up in ${dataDir}`;
    throw new EngineError(
      "notConfigured",
      `${which}. Import one ("provision-desk config import FILE") or set up the connections in the app.`,
    );
  }

  function requireRunnable(): Profile {
    const ready = requireProfile();
    const blocker = rulesBlocker();
    if (blocker) throw new EngineError("blocked", blocker);
    return ready;
  }

  /** Opens both sides, runs `work` under the cycle lock, and always closes the connections. */
  async function withClients<T>(
    work: (source: SourceClients, target: TargetClients) => Promise<T>,
    signal?: AbortSignal,
    lockWait?: CycleLockWait,
  ): Promise<T> {
    const ready = requireRunnable();
    const { openSource, openTarget } = await network();
    const source = await openSource(ready, secrets, dataDir, signal);
    let target: TargetClients | undefined;
    try {
      target = await openTarget(ready, secrets, dataDir, signal);
      const opened = target;
      return await withCycleLock(dataDir, owner, () => work(source, opened), lockWait);
    } finally {
      await Promise.allSettled([source.http.close(), target?.http.close()]);
    }
  }

  async function runCycle(
    cycleOptions: { dryRun: boolean; full: boolean; allowDeletes: boolean },
    lockWait?: CycleLockWait,
  ): Promise<CycleResult> {
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
              profile: requireProfile(),
              rules: rules().rules,
              source,
              target,
              options: cycleOptions,
              signal: controller.signal,
              onProgress: (update) => {
                progress = update;
                hub.emit("cycle.progress", update);
              },
              onLog: (entry) => hub.emit("log.entry", entry),
            }),
          controller.signal,
          lockWait,
        );
        startError = null;
        hub.emit("cycle.finished", result.summary);
        return result;
      } catch (error) {
        // The cycle could not start (profile, secrets, lock, files): nothing was recorded, so the status carries it.
        startError = error instanceof Error ? error.message : String(error);
        options.logger?.error(`Cycle did not start: ${startError}`);
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
      if (!cycleOptions.dryRun) scheduler.reschedule();
      emitDashboard();
    }
  }

  const provisionNow = async (cycleOptions: { dryRun: boolean; full: boolean; allowDeletes: boolean }) =>
    (await runCycle(cycleOptions)).summary;

  /** Runs one side's checks; a side that cannot even be opened (missing secret, unreadable CA file) is one failed check. */
  async function withOpened<T extends { http: HttpClient }>(
    open: () => Promise<T>,
    name: string,
    check: (clients: T) => Promise<ConnectionCheck[]>,
  ): Promise<ConnectionCheck[]> {
    let clients: T;
    try {
      clients = await open();
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      return [{ name, ok: false, message: error.message }];
    }
    try {
      return await check(clients);
    } finally {
      await clients.http.close();
    }
  }

  /** Never throws: an unusable keychain is reported by the status (and by the action that needs a secret). */
  async function refreshSecrets(): Promise<void> {
    const name = secretName();
    try {
      const [clientSecret, scimToken] = await Promise.all([
        secrets.has(name, "client-secret"),
        secrets.has(name, "scim-token"),
      ]);
      secretsPresent = { clientSecret, scimToken };
      secretStoreProblem = null;
    } catch (error) {
      secretsPresent = { clientSecret: false, scimToken: false };
      secretStoreProblem = error instanceof Error ? error.message : String(error);
      options.logger?.warn(`Could not check the stored secrets: ${secretStoreProblem}`);
    }
  }

  const ready = refreshSecrets();
  if (options.scheduled !== false && profile) scheduler.start();

  return {
    dataDir,
    dashboard,
    provisionNow,
    runCycle,
    cancel() {
      if (cancel && !cancel.signal.aborted) {
        cancel.abort();
        options.logger?.info("Cancelling the running cycle: requests in flight finish, nothing further is sent.");
        emitDashboard();
      }
      return dashboard();
    },
    restart() {
      const ready = requireProfile();
      if (current)
        throw new EngineError("locked", "A cycle is running. Cancel it or wait for it to finish, then restart.");
      // Under the cycle lock, so a cycle in another process cannot commit delta links over the restart.
      const lock = acquireCycleLock(dataDir, owner);
      try {
        restartProvisioning(db, ready.name);
      } finally {
        lock.release();
      }
      leaveQuarantine();
      options.logger?.info("Provisioning restarted: the next cycle reads everything again.");
      scheduler.reschedule();
      emitDashboard();
      return dashboard();
    },
    async retryNow() {
      requireRunnable();
      leaveQuarantine();
      return provisionNow({ dryRun: false, full: false, allowDeletes: false });
    },
    setPaused(paused) {
      if (paused) scheduler.pause();
      else scheduler.resume();
      if (profile) {
        profile = { ...profile, schedule: { ...profile.schedule, paused } };
        saveProfile(db, profile);
      }
      return dashboard();
    },
    connections: () => ({ profile, secrets: secretsPresent }),
    async testConnection(side) {
      const ready = requireProfile();
      const { checkSource, openSource, openTarget } = await network();
      const checks: ConnectionCheck[] = [];
      if (side !== "target") {
        checks.push(
          ...(await withOpened(
            () => openSource(ready, secrets, dataDir),
            "Sign in to Entra ID",
            (source) =>
              checkSource({
                tokens: source.tokens,
                graph: source.graph,
                appId: ready.source.appId,
                tenantId: ready.source.tenantId,
              }),
          )),
        );
      }
      if (side !== "source") {
        checks.push(
          ...(await withOpened(
            () => openTarget(ready, secrets, dataDir),
            "Authenticate to the target",
            (target) => target.scim.testConnection(),
          )),
        );
      }
      return checks;
    },
    rules,
    logs: (query) => (profile ? listLogEntries(db, profile.name, query) : []),
    cycles: (limit) => (profile ? listCycles(db, profile.name, limit) : []),
    async browseTarget(limit) {
      const { browseTarget, openTarget } = await network();
      const target = await openTarget(requireProfile(), secrets, dataDir);
      try {
        return await browseTarget(target.scim, limit);
      } finally {
        await target.http.close();
      }
    },
    on: hub.on,
    profile: () => profile,
    exportProfile: () => profileToJson(requireProfile()),
    async importProfile(input) {
      const next = typeof input === "string" ? parseProfileJson(input) : input;
      saveProfile(db, next);
      profile = next;
      profileName = next.name;
      await refreshSecrets();
      if (next.schedule.paused) scheduler.pause();
      else if (scheduler.paused) scheduler.resume();
      if (options.scheduled !== false) scheduler.start();
      emitDashboard();
      return { problems: rules().problems };
    },
    async setSecret(name: SecretName, value: string) {
      await secrets.set(secretName(), name, value);
      await refreshSecrets();
      emitDashboard();
    },
    async refreshSecrets() {
      await ready;
      await refreshSecrets();
    },
    async provisionOne(user) {
      if (current)
        throw new EngineError("locked", "A cycle is running in this app. Provision the user once it has finished.");
      const onLog = (entry: LogEntry) => hub.emit("log.entry", entry);
      const { runProvisionOne } = await network();
      const result = await withClients((source, target) =>
        runProvisionOne({ db, profile: requireProfile(), rules: rules().rules, source, target, onLog }, user),
      );
      emitDashboard();
      return result;
    },
    async testRules(user) {
      const ready = requireProfile();
      const { openSource, runRulesTest } = await network();
      const source = await openSource(ready, secrets, dataDir);
      try {
        return await runRulesTest(ready, rules().rules, source, user);
      } finally {
        await source.http.close();
      }
    },
    async close() {
      scheduler.stop();
      await current?.catch(() => undefined);
      closed = true;
      db.close();
    },
  };
}
