import { join } from "node:path";
import type { Profile, SecretName } from "../../../shared/config/profile";
import type {
  ConnectionCheck,
  Dashboard,
  LogEntry,
  Problem,
  ProfileList,
  ProfileSaveResult,
  Progress,
} from "../../../shared/ipc/model";
import { prepareDataFolder } from "../data-folder";
import {
  clearQuarantine,
  insertLogEntry,
  linkCounts,
  listCycles,
  listEscrow,
  makeEscrowDue,
  openDatabase,
  quarantineStreak,
} from "../db";
import { openProfileStore, PROFILES_BACKUP_FILE, PROFILES_FILE } from "../db/profile-store";
import { createAlerter } from "../alerts/alerter";
import { recordCycleEnd, recordStartFailure } from "../logs/cycle-end";
import { exportLog, logPage } from "../logs/log-view";
import type { HttpClient } from "../http";
import { restartProvisioning, type CycleResult } from "../cycle";
import { acquireCycleLock, cycleLockHolder, withCycleLock, type CycleLockWait } from "../lock";
import { createScheduler, type SchedulerClock } from "../scheduler";
import type { SecretStore } from "../secrets/secret-store";
import type { SourceClients, TargetClients } from "./clients";
import type { OnDemandRunDeps } from "./cycle-runner";
import type * as Network from "./network";
import { EngineError, errorKind } from "./errors";
import { createEventHub } from "./events";
import {
  deleteStoredProfile,
  formatErrors,
  renameStoredProfile,
  requireStored,
  requireValidName,
  stateDamagedEntry,
  stateDamagedNotice,
  storeProfile,
} from "./profile-ops";
import { checkProfile, ProfileValidationError, profileToJson } from "./profile-io";
import { rulesView, type RulesView } from "./rules-view";
import { computeStatus } from "./status";
import { expressionFunctions } from "./expression-functions";
import type { ProvisionDeskService } from "./types";
import { createPlans } from "./plans";

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
  /** Told what the admin must know right away (a damaged file set aside or restored); the CLI prints it. */
  onNotice?: (message: string) => void;
}

export const DATABASE_FILE = "state.sqlite";
const HOUR = 3_600_000;
/** Entra's quarantine back-off: retry after 6 h, 12 h, then daily. */
const QUARANTINE_DELAYS = [6 * HOUR, 12 * HOUR, 24 * HOUR];

let networkModule: Promise<typeof Network> | undefined;
const network = () => (networkModule ??= import("./network"));

/** A stored profile as loaded: `profile` is null when it no longer passes the schema (problems say why). */
interface Loaded {
  name: string;
  revision: number;
  profile: Profile | null;
  problems: Problem[];
}

export function createEngineService(options: EngineServiceOptions): ProvisionDeskService {
  const { dataDir, secrets } = options;
  const owner = options.owner ?? "ProvisionDesk";
  if (options.profileName !== undefined) requireValidName(options.profileName);
  prepareDataFolder(dataDir);
  const notify = (message: string) => {
    options.logger?.warn(message);
    options.onNotice?.(message);
  };
  const store = openProfileStore(join(dataDir, PROFILES_FILE), {
    onDamaged: (file, restored) =>
      notify(
        restored.length > 0
          ? `The profiles file was damaged and moved to ${file}; ${restored.map((n) => `"${n}"`).join(", ")} ${restored.length === 1 ? "was" : "were"} restored from the copy kept beside it (${PROFILES_BACKUP_FILE}).`
          : `The profiles file was damaged and moved to ${file}, and no copy of it could be read. Import your profiles again ("provision-desk config import FILE") or set them up in the app.`,
      ),
  });
  const db = (() => {
    try {
      return openDatabase(join(dataDir, DATABASE_FILE), {
        onMovedAside: (file) => {
          const notice = stateDamagedNotice(file);
          // Kept with the profiles (the state database is what was lost) until a cycle has rebuilt the state.
          store.setStateNotice(notice);
          notify(notice);
        },
        takeLegacyProfiles: (rows) => {
          const added = store.addMissing(rows);
          if (added.length > 0) options.logger?.info(`Moved profiles ${added.join(", ")} to ${PROFILES_FILE}.`);
        },
      });
    } catch (error) {
      store.close();
      throw error;
    }
  })();
  const alerter = createAlerter({ db, secrets, warn: (message) => options.logger?.warn(message) });
  const ops = { store, db, secrets, dataDir, warn: (m: string) => options.logger?.warn(m) };
  const hub = createEventHub((event, error) => options.logger?.error(`A listener for ${event} failed`, String(error)));

  /** The profile named by --profile / PROVISIONDESK_PROFILE or picked in this process; else the stored selection. */
  let pinned: string | null = options.profileName ?? null;
  const pickProfileName = (): string | null => {
    if (pinned) return pinned;
    const active = store.active();
    if (active) return active;
    const names = store.list().map((p) => p.name);
    return names.includes("default") ? "default" : (names[0] ?? null);
  };
  const load = (name: string | null): Loaded | null => {
    const row = name ? store.get(name) : null;
    if (!row) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(row.json);
    } catch {
      raw = null;
    }
    return { name: row.name, revision: row.revision, ...checkProfile(raw) };
  };
  let loaded = load(pickProfileName());
  let profileName = loaded?.name ?? pickProfileName();
  let profile: Profile | null = loaded?.profile ?? null;
  const NO_SECRETS = { clientSecret: false, scimToken: false, smtpPassword: false };
  let secretsPresent = NO_SECRETS;
  let current: Promise<CycleResult> | null = null;
  /** Cancels the running cycle. */
  let cancel: AbortController | null = null;
  let progress: Progress | null = null;
  let startError: string | null = null;
  let secretStoreProblem: string | null = null;

  /**
   * Picks up saves made elsewhere (the CLI while the app runs, or the other way round): cheap when nothing changed,
   * one indexed read. Called wherever the profile is used.
   */
  function sync(): void {
    const name = pickProfileName();
    const revision = name ? store.revision(name) : null;
    if (name === profileName && revision === (loaded?.revision ?? null)) return;
    const nameChanged = name !== profileName;
    loaded = load(name);
    profileName = name;
    profile = loaded?.profile ?? null;
    if (options.scheduled !== false) {
      // New settings count from now; with no usable profile left (deleted, invalid) nothing is scheduled.
      if (!profile) scheduler.stop();
      else {
        if (profile.schedule.paused) scheduler.pause();
        else if (scheduler.paused) scheduler.resume();
        scheduler.start();
      }
    }
    if (nameChanged) void refreshSecrets().then(emitDashboard);
    emitDashboard();
  }

  const secretName = () => profile?.name ?? profileName ?? "default";
  const rules = (): RulesView => {
    sync();
    return rulesView(profile);
  };
  /** The first rule problem that stops cycles, in words; null when cycles may run. */
  const rulesBlocker = () => {
    const problem = rules().problems.find((p) => p.severity === "error");
    return problem ? `Cycles are blocked until the mappings are fixed: ${problem.path}: ${problem.message}` : null;
  };

  const scheduler = createScheduler({
    run: async () => void (await runCycle({ dryRun: false, full: false, allowDeletes: false })),
    delayMs: () => {
      const streak = quarantineStreak(db, secretName(), QUARANTINE_DELAYS.length);
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
    sync();
    const name = profile?.name ?? null;
    const notice = store.stateNotice();
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
      ...(notice ? { notice } : {}),
    };
  }
  let closed = false;
  const emitLog = (entry: LogEntry) => hub.emit("log.entry", entry);
  const emitDashboard = () => {
    if (!closed) hub.emit("dashboard.changed", dashboard());
  };

  function requireProfile(): Profile {
    sync();
    if (profile) return profile;
    if (loaded)
      throw new EngineError(
        "config",
        `The stored profile "${loaded.name}" is no longer valid:\n${formatErrors(loaded.problems)}\nSave a corrected profile in the app, or import one ("provision-desk config import FILE").`,
      );
    const stored = store.list().map((p) => `"${p.name}"`);
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

  /** Provision on demand of a user or a group: not while a cycle runs here, under the cycle lock, live log entries. */
  async function onDemand<T>(
    what: "user" | "group",
    run: (net: typeof Network, deps: OnDemandRunDeps) => Promise<T>,
  ): Promise<T> {
    if (current)
      throw new EngineError("locked", `A cycle is running in this app. Provision the ${what} once it has finished.`);
    const onLog = (entry: LogEntry) => hub.emit("log.entry", entry);
    const net = await network();
    const result = await withClients((source, target) =>
      run(net, { db, profile: requireProfile(), rules: rules().rules, source, target, onLog }),
    );
    emitDashboard();
    return result;
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
              onLog: emitLog,
            }),
          controller.signal,
          lockWait,
        );
        const { summary } = result;
        const ran = requireProfile();
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
        options.logger?.error(`Cycle did not start: ${startError}`);
        if (profile) {
          try {
            recordStartFailure(db, profile.name, cycleOptions, error, new Date(), emitLog);
          } catch (recordError) {
            options.logger?.warn(`The failed start could not be logged: ${String(recordError)}`);
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
      if (!cycleOptions.dryRun) scheduler.reschedule();
      emitDashboard();
    }
  }

  const plans = createPlans({ db, profileName: () => requireProfile().name, runCycle });

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
      const [clientSecret, scimToken, smtpPassword] = await Promise.all([
        secrets.has(name, "client-secret"),
        secrets.has(name, "scim-token"),
        secrets.has(name, "smtp-password"),
      ]);
      secretsPresent = { clientSecret, scimToken, smtpPassword };
      secretStoreProblem = null;
    } catch (error) {
      secretsPresent = NO_SECRETS;
      secretStoreProblem = error instanceof Error ? error.message : String(error);
      options.logger?.warn(`Could not check the stored secrets: ${secretStoreProblem}`);
    }
  }

  function listProfiles(): ProfileList {
    sync();
    return { active: profileName, profiles: store.list() };
  }

  async function saveProfile(input: unknown, baseRevision: number | null | "overwrite"): Promise<ProfileSaveResult> {
    const { name, ...result } = storeProfile(store, input, baseRevision);
    sync();
    if (result.status === "saved" && name === profileName) {
      await refreshSecrets();
      emitDashboard();
    }
    return result;
  }

  function requireIdle(name: string, what: string): void {
    if (current && name === profileName)
      throw new EngineError(
        "locked",
        `A cycle is running for "${name}". It can be ${what} once the cycle has finished.`,
      );
  }

  /** The configuration screens' queries, loaded with the network code on first use. */
  let queries: ReturnType<typeof Network.createDraftQueries> | undefined;
  const draftQueries = async () =>
    (queries ??= (await network()).createDraftQueries({ db, dataDir, secrets, requireProfile }));

  const ready = refreshSecrets();
  if (options.scheduled !== false && profile) scheduler.start();

  return {
    dataDir,
    dashboard,
    provisionNow,
    runCycle,
    previewPlan: () => plans.preview(),
    getPlan: (ref, filters) => plans.get(ref, filters),
    applyPlan: (planId, approval) => plans.apply(planId, approval),
    exportPlanCsv: (planId) => plans.exportCsv(planId),
    applySavedPlan: (plan, approval) => plans.apply(plan, approval),
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
      options.logger?.info("Provisioning restarted: the next cycle reads everything again.");
      scheduler.reschedule();
      emitDashboard();
      return dashboard();
    },
    async retryNow() {
      clearQuarantine(db, requireRunnable().name);
      return provisionNow({ dryRun: false, full: false, allowDeletes: false });
    },
    async retryEscrowed(type, sourceId) {
      const name = requireRunnable().name;
      if (!makeEscrowDue(db, name, type, sourceId, new Date()))
        throw new EngineError(
          "notFound",
          `This ${type} is no longer held after a failure: a cycle has tried it since. See the log for how it went.`,
        );
      return provisionNow({ dryRun: false, full: false, allowDeletes: false });
    },
    setPaused(paused) {
      sync();
      if (paused) scheduler.pause();
      else scheduler.resume();
      if (profile && loaded) {
        const next = { ...profile, schedule: { ...profile.schedule, paused } };
        if (store.put(next.name, JSON.stringify(next), loaded.revision).status === "conflict")
          throw new EngineError("config", "The profile was changed elsewhere at the same moment. Try again.");
        sync();
      }
      return dashboard();
    },
    connections: () => {
      sync();
      return { profile, secrets: secretsPresent };
    },
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
    logs: (query) => {
      sync();
      return logPage(db, profile?.name ?? null, query);
    },
    exportLogs: (filters, format, limit) => {
      sync();
      return exportLog(db, profile?.name ?? null, filters, format, new Date(), limit);
    },
    sendTestAlert: () => alerter.sendTest(requireProfile()),
    cycles: (limit) => {
      sync();
      return profile ? listCycles(db, profile.name, limit) : [];
    },
    escrow: () => {
      sync();
      return profile ? listEscrow(db, profile.name) : [];
    },
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
    profile: () => {
      sync();
      return profile;
    },
    exportProfile: () => profileToJson(requireProfile()),
    listProfiles,
    profileView: () => {
      sync();
      return { profile, revision: loaded?.revision ?? null, problems: loaded?.problems ?? [] };
    },
    saveProfile,
    async importProfile(input) {
      const { name, ...result } = storeProfile(store, input, "overwrite");
      if (result.status !== "saved" || !name)
        throw new ProfileValidationError(result.status === "invalid" ? result.problems : [], "The profile");
      pinned = name;
      sync();
      await refreshSecrets();
      emitDashboard();
      return { problems: result.problems, revision: result.revision };
    },
    async selectProfile(name) {
      requireStored(ops, name);
      store.setActive(name);
      if (pinned) pinned = name;
      sync();
      await refreshSecrets();
      emitDashboard();
      return listProfiles();
    },
    async renameProfile(from, to) {
      requireIdle(from, "renamed");
      await renameStoredProfile(ops, from, to);
      if (pinned === from) pinned = to;
      sync();
      await refreshSecrets();
      emitDashboard();
      return listProfiles();
    },
    async deleteProfile(name) {
      requireIdle(name, "deleted");
      await deleteStoredProfile(ops, name);
      sync();
      await refreshSecrets();
      emitDashboard();
      return listProfiles();
    },
    async setSecret(name: SecretName, value: string, profileName?: string) {
      // Another profile's secret only for one that is stored: a typo must not leave a secret nobody uses.
      if (profileName !== undefined && store.revision(profileName) === null)
        throw new EngineError("config", `There is no stored profile named ${JSON.stringify(profileName)}.`);
      await secrets.set(profileName ?? secretName(), name, value);
      await refreshSecrets();
      emitDashboard();
    },
    async refreshSecrets() {
      await ready;
      await refreshSecrets();
    },
    provisionOne: (user) => onDemand("user", (network, deps) => network.runProvisionOne(deps, user)),
    provisionGroup: (group, members) =>
      onDemand("group", (network, deps) => network.runProvisionGroup(deps, group, members)),
    testRules: async (user, draft) => (await draftQueries()).testRules(user, draft),
    previewScope: async (draft, sample) => (await draftQueries()).previewScope(draft, sample),
    assignments: async (draft) => (await draftQueries()).assignments(draft),
    evaluateExpression: async (request) => (await draftQueries()).evaluateExpression(request),
    expressionFunctions,
    searchGroups: async (request) => (await draftQueries()).searchGroups(request),
    pickedGroups: async (refs, draft) => (await draftQueries()).pickedGroups(refs, draft),
    searchUsers: async (query, draft) => (await draftQueries()).searchUsers(query, draft),
    groupMembers: async (group) => (await draftQueries()).groupMembers(group),
    sourceAttributes: async (draft) => (await draftQueries()).sourceAttributes(draft),
    targetAttributes: async (draft) => (await draftQueries()).targetAttributes(draft),
    testDraftConnection: async (request) => (await draftQueries()).testDraftConnection(request),
    async close() {
      scheduler.stop();
      await current?.catch(() => undefined);
      closed = true;
      db.close();
      store.close();
    },
  };
}
