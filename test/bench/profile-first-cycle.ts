// npx tsx test/bench/profile-first-cycle.ts [--users N] [--out FILE]: a CPU profile of the engine's first cycle only
// (the bench world, emulators in their own process), for finding the engine's per-object cost.
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startBenchWorld } from "./world";

const { values } = parseArgs({
  options: { users: { type: "string", default: "2000" }, out: { type: "string", default: "first-cycle.cpuprofile" } },
});
const warm = await startBenchWorld({ users: 200, seed: 8, entraStyle: false, latencyMs: 0 });
await warm.cycle().finally(() => warm.close());
const world = await startBenchWorld({ users: Number(values.users), seed: 7, entraStyle: false, latencyMs: 0 });
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 200 });
await session.post("Profiler.start");
const m = await world.cycle();
const { profile } = await session.post("Profiler.stop");
writeFileSync(values.out, JSON.stringify(profile));
process.stdout.write(
  `first cycle: ${(m.wallMs / 1000).toFixed(2)} s wall, engine CPU ${(m.engineCpuMs / 1000).toFixed(2)} s, ` +
    `emulators CPU ${(m.cpuMs / 1000).toFixed(2)} s, ${m.target.total} target requests; profile in ${values.out}\n`,
);
await world.close();
