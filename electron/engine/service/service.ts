import type { SchedulerClock } from "../scheduler";
import type { SecretStore } from "../secrets/secret-store";
import { prepareDataFolder } from "../data-folder";
import { createAlerter } from "../alerts/alerter";
import { createActiveProfile } from "./active-profile";
import { createConnectionsCheck } from "./connections-check";
import { createCycleControl } from "./cycle-control";
import { createCycleSchedule } from "./cycle-schedule";
import { createDashboardView } from "./dashboard-view";
import { createEventHub } from "./events";
import { openDataFiles } from "./open-data";
import { createPlans } from "./plans";
import { createProfileCommands } from "./profile-commands";
import { requireValidName } from "./profile-ops";
import { createDraftQueryForwarding, createQueries } from "./queries";
import { createSecretsPresence } from "./secrets-presence";
import type { ProvisionDeskService } from "./types";

export { DATABASE_FILE } from "./open-data";

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

/** The engine for one data folder: composes the profile in use, its cycles, schedule, commands and queries. */
export function createEngineService(options: EngineServiceOptions): ProvisionDeskService {
  const { dataDir, secrets, logger } = options;
  const scheduled = options.scheduled !== false;
  if (options.profileName !== undefined) requireValidName(options.profileName);
  prepareDataFolder(dataDir);
  const warn = (message: string) => logger?.warn(message);
  const { store, db } = openDataFiles(
    dataDir,
    (message) => {
      warn(message);
      options.onNotice?.(message);
    },
    (message) => logger?.info(message),
  );
  const alerter = createAlerter({ db, secrets, warn });
  const hub = createEventHub((event, error) => logger?.error(`A listener for ${event} failed`, String(error)));

  // The pieces refer to each other (the schedule runs cycles, a cycle reschedules, the dashboard shows both): those
  // links are closures, called only once everything below is built.
  let closed = false;
  const emitDashboard = () => {
    if (!closed) hub.emit("dashboard.changed", dashboard());
  };
  const active = createActiveProfile({
    store,
    dataDir,
    profileName: options.profileName,
    onChange: (nameChanged) => {
      if (scheduled) schedule.follow(active.profile);
      if (nameChanged) void presence.refresh().then(emitDashboard);
      emitDashboard();
    },
  });
  const presence = createSecretsPresence({ secrets, secretName: active.secretName, warn });
  const schedule = createCycleSchedule({
    db,
    store,
    active,
    clock: options.clock,
    run: () => cycles.runCycle({ dryRun: false, full: false, allowDeletes: false }),
    onChange: emitDashboard,
    warn,
  });
  const { scheduler } = schedule;
  const cycles = createCycleControl({
    db,
    dataDir,
    owner: options.owner ?? "ProvisionDesk",
    secrets,
    store,
    hub,
    alerter,
    active,
    logger,
    reschedule: () => scheduler.reschedule(),
    dashboard: () => dashboard(),
    emitDashboard,
  });
  const dashboard = createDashboardView({ db, store, dataDir, active, secrets: presence, scheduler, cycles });
  const plans = createPlans({ db, profileName: () => active.requireProfile().name, runCycle: cycles.runCycle });
  const commands = createProfileCommands({
    store,
    db,
    secrets,
    dataDir,
    warn,
    active,
    presence,
    cycles,
    emitDashboard,
  });
  const connections = createConnectionsCheck({ secrets, dataDir, active });

  const ready = presence.refresh();
  if (scheduled && active.profile) scheduler.start();

  return {
    dataDir,
    dashboard,
    ...createQueries({ db, active, presence }),
    ...createDraftQueryForwarding({ db, dataDir, secrets, active }),
    ...commands,
    testConnection: connections.testConnection,
    browseTarget: connections.browseTarget,
    provisionNow: cycles.provisionNow,
    runCycle: cycles.runCycle,
    cancel: cycles.cancel,
    restart: cycles.restart,
    retryNow: cycles.retryNow,
    retryEscrowed: cycles.retryEscrowed,
    provisionOne: cycles.provisionOne,
    provisionGroup: cycles.provisionGroup,
    previewPlan: (allowDeletes) => plans.preview(allowDeletes),
    getPlan: (ref, filters) => plans.get(ref, filters),
    applyPlan: (planId, approval) => plans.apply(planId, approval),
    exportPlanCsv: (planId) => plans.exportCsv(planId),
    applySavedPlan: (plan, approval) => plans.apply(plan, approval),
    setPaused(paused) {
      schedule.setPaused(paused);
      return dashboard();
    },
    sendTestAlert: () => alerter.sendTest(active.requireProfile()),
    on: hub.on,
    async refreshSecrets() {
      await ready;
      await presence.refresh();
    },
    async close() {
      scheduler.stop();
      await cycles.finished();
      await cycles.closeConnections();
      closed = true;
      db.close();
      store.close();
    },
  };
}
