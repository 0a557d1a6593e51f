import type { Command } from "commander";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CycleOutcome, Dashboard } from "../../../shared/ipc/model";
import type { SchedulerClock } from "../../engine/scheduler";
import type { CliContext } from "../context";
import { CliError, EXIT } from "../exit-codes";
import { cycleJson } from "../format";

/** How often the scheduler's timer looks at the wall clock: the bound on how late a cycle missed in sleep starts. */
const WALL_CHECK_MS = 15_000;

/**
 * A scheduler clock that fires on wall-clock time. A plain timer counts only time the machine was awake, so after a
 * laptop or VM slept past the due time it would wait the whole remainder again; this one runs the missed cycle
 * within WALL_CHECK_MS of waking. `scale` divides every delay: tests only (PROVISIONDESK_TEST_TIME_SCALE), because
 * profiles cannot ask for less than 5 minutes.
 */
export function wallClock(scale = 1): SchedulerClock {
  return {
    now: () => Date.now(),
    setTimeout(callback, ms) {
      const due = Date.now() + ms / scale;
      const handle = setInterval(
        () => {
          if (Date.now() < due) return;
          clearInterval(handle);
          callback();
        },
        Math.max(1, Math.min(WALL_CHECK_MS, ms / scale)),
      );
      return handle.unref();
    },
    clearTimeout: (handle) => clearInterval(handle as NodeJS.Timeout),
  };
}

const timeScale = (env: NodeJS.ProcessEnv) => {
  const n = Number(env.PROVISIONDESK_TEST_TIME_SCALE ?? 1);
  return Number.isFinite(n) && n >= 1 ? n : 1;
};

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CliError(`--health-port ${value} is not a port number (0-65535).`, EXIT.usage);
  return n;
};

/** Outcomes an operator must act on: /healthz answers 503 for them (and while the status is an error). */
const UNHEALTHY: ReadonlySet<CycleOutcome> = new Set([
  "failed",
  "quarantined",
  "stoppedByDeletionThreshold",
  "stoppedByCanary",
]);

export function health(dashboard: Dashboard): { healthy: boolean; body: Record<string, unknown> } {
  const last = dashboard.lastCycle;
  const healthy = dashboard.status !== "error" && !(last && UNHEALTHY.has(last.outcome));
  return {
    healthy,
    body: {
      healthy,
      status: dashboard.status,
      message: dashboard.statusMessage,
      lastCycle: last && { id: last.id, outcome: last.outcome, endedAt: last.endedAt, error: last.error },
      nextCycleAt: dashboard.nextCycleAt,
    },
  };
}

async function serveHealth(portNumber: number, dashboard: () => Dashboard): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/healthz") {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found: only GET /healthz is served.\n");
      return;
    }
    const { healthy, body } = health(dashboard());
    res.writeHead(healthy ? 200 : 503, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
  });
  // Loopback only: the status message can name the tenant and the target; a probe runs on the same host or pod.
  server.listen(portNumber, "127.0.0.1");
  await once(server, "listening");
  return server;
}

const untilSignal = () => Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]).then(() => undefined);

export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command("run")
    .description(
      "run the scheduler in the foreground (servers, containers): a cycle now if one is due, then on the profile's " +
        "interval with alerts and quarantine back-off; JSON lines on stdout; stops cleanly on SIGTERM or Ctrl+C",
    )
    .option("--health-port <n>", "serve GET /healthz on 127.0.0.1:<n> (200 healthy, 503 failed or quarantined)", port)
    .addHelpText(
      "after",
      "\nExit codes: 0 stopped by SIGTERM/SIGINT (a running cycle was cancelled safely); 2 no usable profile or a bad\n" +
        "option; 1 an unexpected error. Cycle outcomes do not end the process: see the JSON lines and /healthz.",
    )
    .action((options: { healthPort?: number }) =>
      ctx.run(async () => {
        const line = (event: string, fields: Record<string, unknown> = {}) =>
          ctx.out(`${JSON.stringify({ at: new Date().toISOString(), event, ...fields })}\n`);
        const service = await ctx.openService({ scheduled: true, clock: wallClock(timeScale(ctx.io.env)) });
        const profile = service.profile();
        if (!profile)
          throw new CliError(
            `No usable profile is stored in ${service.dataDir}. Import one ("provision-desk config import FILE") first.`,
            EXIT.usage,
          );

        let cycleId: number | null = null;
        service.on("cycle.progress", (p) => {
          if (p.cycleId !== cycleId) line("cycle.started", { cycleId: (cycleId = p.cycleId) });
        });
        service.on("log.entry", (entry) => line("log", { entry }));
        service.on("cycle.finished", (summary) => {
          cycleId = null;
          line("cycle.finished", { cycle: cycleJson(summary) });
        });
        const server =
          options.healthPort === undefined ? null : await serveHealth(options.healthPort, service.dashboard);
        // The scheduler's timers do not hold the process open (the app's shutdown must not wait for them); this does.
        const keepAlive = setInterval(() => undefined, 1 << 30);
        const first = service.dashboard();
        line("started", {
          profile: profile.name,
          dataDir: service.dataDir,
          intervalMinutes: profile.schedule.intervalMinutes,
          ...(server ? { healthUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz` } : {}),
        });

        // A cycle now when one is due: none yet, or the delay (interval or quarantine back-off) has passed since the
        // last one ended, e.g. after the host was down. Otherwise the scheduler's first timer is the next cycle.
        // A paused profile (no next cycle) runs nothing until it is resumed in the app or its profile.
        const delayMs = first.nextCycleAt ? Date.parse(first.nextCycleAt) - Date.now() : 0;
        const lastEnd = first.lastCycle?.endedAt ? Date.parse(first.lastCycle.endedAt) : null;
        const dueNow = first.nextCycleAt !== null && (lastEnd === null || lastEnd + delayMs <= Date.now());
        const initial = dueNow
          ? service
              .runCycle({ dryRun: false, full: false, allowDeletes: false })
              .catch((error: unknown) =>
                line("cycle.notStarted", { error: error instanceof Error ? error.message : String(error) }),
              )
          : Promise.resolve();
        if (!dueNow) line("waiting", { nextCycleAt: first.nextCycleAt, paused: first.nextCycleAt === null });

        await (ctx.io.untilStopped ?? untilSignal)();
        line("stopping", { cancellingCycle: service.dashboard().status === "syncing" });
        service.cancel(); // requests in flight finish, nothing further is sent, the delta links are kept
        await initial;
        clearInterval(keepAlive);
        server?.close();
        // ctx.run then closes the service: the scheduler stops and a cancelled scheduled cycle winds down first.
        return EXIT.ok;
      }),
    );
}
