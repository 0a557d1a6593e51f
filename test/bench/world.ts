// One benchmark world: fresh emulators (in their own process) and a ProvisionDesk engine service on a temp data dir,
// with what each cycle cost on both sides.
import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { join } from "node:path";
import { DEFAULT_CLIENT_SECRET } from "../../electron/emulators/graph";
import { createMemorySecretStore } from "../../electron/engine/secrets";
import { createEngineService } from "../../electron/engine/service";
import { ProfileSchema } from "../../shared/config/profile";
import type { CycleSummary, Progress } from "../../shared/ipc/model";
import type { EditCounts } from "./edits";
import { startEmulatorHost } from "./emulators";
import { createFloorClient } from "./floor";
import type { EmulatorConfig, TargetState, Traffic } from "./host-protocol";

export const PROFILE = "bench";
/** The profile's ceiling: high enough that the engine, not its pacer, sets the pace on loopback. */
export const REQUESTS_PER_SECOND = 1000;
export const CONCURRENCY = 4;
/** The rate both clients pace at: the target's documented limit when it has one, as an admin would set it. */
export const paceOf = (config: Pick<EmulatorConfig, "targetRps">) => config.targetRps ?? REQUESTS_PER_SECOND;
/** Failed objects quoted when a cycle does not succeed. */
const FAILURES_SHOWN = 8;

/** What one cycle cost: wall time, CPU of the engine's process and of the emulators', requests both sides received. */
export interface CycleMeasure extends Traffic {
  summary: CycleSummary;
  wallMs: number;
  engineCpuMs: number;
  objects: number;
  /** Highest resident set size of the engine's process during the cycle (sampled every 20 ms), bytes. */
  peakRss: number;
  /** JS heap in use when the RSS peaked, bytes. */
  heapAtPeak: number;
  /** When the RSS peaked, ms after the cycle's start (compare with phaseStarts). */
  peakAtMs: number;
  /** Objects the cycle evaluated (users + groups). */
  evaluated: number;
  /** Longest the engine's event loop was blocked during the cycle, ms (a pause longer than a target's keep-alive
   * timeout makes the next request go out on a connection the target has closed). */
  maxLoopDelayMs: number;
  /** When each phase of the cycle began, ms after its start: the time before "apply" is the engine's alone. */
  phaseStarts: Partial<Record<Progress["phase"], number>>;
}

/** What a floor cycle cost: wall time and the requests the emulators received. */
export interface FloorMeasure extends Traffic {
  wallMs: number;
  /** CPU time of the floor client's process (the bench process) during the cycle. */
  clientCpuMs: number;
}

export interface BenchWorld {
  cycle(): Promise<CycleMeasure>;
  /** `round`: a repeated measurement's own edits (edits.ts). */
  edit(count: number, round?: number): Promise<EditCounts>;
  targetState(): Promise<TargetState>;
  close(): Promise<void>;
}

/** Users, groups and memberships a cycle created, changed, disabled or deleted. */
export function objectsTouched(s: CycleSummary): number {
  const n = (c: CycleSummary["counts"]["users"]) => c.create + c.update + c.disable + c.delete;
  return n(s.counts.users) + n(s.counts.groups) + s.counts.memberships.added + s.counts.memberships.removed;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Samples this process's RSS until stopped; returns the peak, when it was, and the JS heap in use at that peak. */
function rssSampler(): () => { peakRss: number; heapAtPeak: number; peakAtMs: number } {
  const started = performance.now();
  let peakRss = 0;
  let heapAtPeak = 0;
  let peakAtMs = 0;
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss <= peakRss) return;
    peakRss = rss;
    peakAtMs = performance.now() - started;
    // Rarely (only at a new peak): what part of the RSS is JS objects, the rest being native memory (SQLite's page
    // cache, sockets' buffers, V8's reserved but unused heap).
    heapAtPeak = process.memoryUsage().heapUsed;
  };
  sample();
  const timer = setInterval(sample, 20);
  return () => {
    clearInterval(timer);
    sample();
    return { peakRss, heapAtPeak, peakAtMs };
  };
}

/** The same emulators driven by the floor client (floor.ts) instead of the engine. */
export async function startFloorWorld(config: EmulatorConfig) {
  const host = await startEmulatorHost(config);
  const client = createFloorClient(host, { concurrency: CONCURRENCY, requestsPerSecond: paceOf(config) });
  return {
    async cycle(): Promise<FloorMeasure> {
      const mark = await host.mark();
      const cpu = cpuMs();
      const started = performance.now();
      await client.cycle();
      const wallMs = performance.now() - started;
      return { ...(await host.since(mark)), wallMs, clientCpuMs: cpuMs() - cpu };
    },
    edit: (count: number, round?: number) => host.edit(count, round),
    targetState: () => host.targetState(),
    async close() {
      client.close();
      await host.close();
    },
  };
}

export async function startBenchWorld(config: EmulatorConfig): Promise<BenchWorld> {
  const host = await startEmulatorHost(config);
  const dataDir = mkdtempSync(join(tmpdir(), "pd-bench-"));
  const caFile = join(dataDir, "graph-ca.pem");
  writeFileSync(caFile, host.graph.caPem);
  const secrets = createMemorySecretStore();
  await secrets.set(PROFILE, "client-secret", DEFAULT_CLIENT_SECRET);
  await secrets.set(PROFILE, "scim-token", host.scim.token);
  const service = createEngineService({ dataDir: join(dataDir, "data"), secrets, scheduled: false });
  const close = async () => {
    await service.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const base = emulatorProfile(PROFILE, "Contoso SSO", { graph: host.graph, scimUrl: host.scim.tenantUrl, caFile });
    const { problems } = await service.importProfile(
      ProfileSchema.parse({
        ...base,
        source: { ...base.source, scope: "all" },
        target: {
          ...base.target,
          requestsPerSecond: paceOf(config),
          concurrency: CONCURRENCY,
          ...(config.entraStyle ? { membershipBatchSize: 1 } : {}),
        },
      }),
    );
    const blocking = problems.filter((p) => p.severity === "error");
    if (blocking.length > 0)
      throw new Error(
        `The benchmark profile has rule errors: ${blocking.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
      );
    await service.refreshSecrets();
  } catch (error) {
    await close();
    throw error;
  }

  /** What an admin would read first in the cycle's log: how many objects failed, and the first failures' messages. */
  const whyNotSucceeded = (summary: CycleSummary): string => {
    const page = service.logs({ cycleId: summary.id, status: ["Failure"], limit: FAILURES_SHOWN });
    const failures = page.entries.map(
      (e) =>
        `  ${e.objectType} ${e.displayName} (${e.sourceId}) ${e.action}: ${e.errorCode ?? ""} ${e.message ?? ""}` +
        `${e.requestIds.length ? ` [requests ${e.requestIds.join(", ")}]` : ""}`,
    );
    return (
      `A benchmark cycle ended "${summary.outcome}"${summary.error ? `: ${summary.error}` : ""}. ` +
      `${page.total} failure entries in its log${page.total > 0 ? `, the newest ${failures.length}:\n${failures.join("\n")}` : "."}`
    );
  };

  return {
    async cycle() {
      const mark = await host.mark();
      const cpu = cpuMs();
      const started = performance.now();
      const rss = rssSampler();
      const phaseStarts: CycleMeasure["phaseStarts"] = {};
      const loop = monitorEventLoopDelay({ resolution: 20 });
      loop.enable();
      const unsubscribe = service.on("cycle.progress", (p) => {
        phaseStarts[p.phase] ??= performance.now() - started;
      });
      const { summary, evaluation } = await service.runCycle({ dryRun: false, full: false, allowDeletes: false });
      const wallMs = performance.now() - started;
      const { peakRss, heapAtPeak, peakAtMs } = rss();
      unsubscribe();
      loop.disable();
      const engineCpuMs = cpuMs() - cpu;
      if (summary.outcome !== "succeeded") throw new Error(whyNotSucceeded(summary));
      return {
        ...(await host.since(mark)),
        summary,
        wallMs,
        engineCpuMs,
        objects: objectsTouched(summary),
        peakRss,
        heapAtPeak,
        peakAtMs,
        evaluated: evaluation ? evaluation.users + evaluation.groups : 0,
        phaseStarts,
        maxLoopDelayMs: loop.max / 1e6,
      };
    },
    edit: (count, round) => host.edit(count, round),
    targetState: () => host.targetState(),
    close,
  };
}
