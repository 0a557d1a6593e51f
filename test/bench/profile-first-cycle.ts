// npx tsx test/bench/profile-first-cycle.ts [--users N] [--out FILE]: the engine's CPU in a first cycle (the bench
// world, emulators in their own process) and, with --out, a CPU profile of that cycle only, to find per-object costs.
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startBenchWorld } from "./world";

const { values } = parseArgs({
  options: { users: { type: "string", default: "2000" }, out: { type: "string" } },
});
const warm = await startBenchWorld({ users: 200, seed: 8, entraStyle: false, latencyMs: 0 });
await warm.cycle().finally(() => warm.close());
const world = await startBenchWorld({ users: Number(values.users), seed: 7, entraStyle: false, latencyMs: 0 });
const session = new Session();
if (values.out) {
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
}
const m = await world.cycle();
if (values.out) writeFileSync(values.out, JSON.stringify((await session.post("Profiler.stop")).profile));
process.stdout.write(
  `first cycle: ${(m.wallMs / 1000).toFixed(2)} s wall, engine CPU ${(m.engineCpuMs / 1000).toFixed(2)} s, ` +
    `emulators CPU ${(m.cpuMs / 1000).toFixed(2)} s, ${m.target.total} target requests, peak RSS ` +
    `${Math.round(m.peakRss / 2 ** 20)} MB (JS heap ${Math.round(m.heapAtPeak / 2 ** 20)} MB) at ` +
    `${(m.peakAtMs / 1000).toFixed(2)} s, event loop blocked ` +
    `${(m.maxLoopDelayMs / 1000).toFixed(2)} s at most; phases began at ` +
    `${Object.entries(m.phaseStarts)
      .map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(2)} s`)
      .join(", ")}` +
    `${values.out ? `; profile in ${values.out}` : ""}\n`,
);
await world.close();
