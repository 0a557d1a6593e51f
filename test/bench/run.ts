// npm run bench [-- --users N --edits N --seed N]
// ProvisionDesk against a baseline measured in the same run: the same engine in Entra's documented request pattern.
import { parseArgs } from "node:util";
import type { ScimServer } from "../../electron/emulators/scim";
import { applyEdits, type EditCounts } from "./edits";
import { cycleTable, machine, ratioLine, referenceLines, type Row } from "./report";
import { CONCURRENCY, REQUESTS_PER_SECOND, startBenchWorld, type CycleMeasure } from "./world";

const { values } = parseArgs({
  options: { users: { type: "string", default: "2000" }, edits: { type: "string" }, seed: { type: "string", default: "7" } },
});
const positive = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1, got "${text}"`);
  return n;
};
const users = positive("users", values.users);
const edits = positive("edits", values.edits ?? String(Math.max(10, Math.round(users / 20))));
const seed = positive("seed", values.seed);
const out = (text = "") => process.stdout.write(`${text}\n`);

interface Run {
  first: CycleMeasure;
  second: CycleMeasure;
  afterEdits: CycleMeasure;
  edits: EditCounts;
  /** What the target holds at the end, to prove both engines did the same work. */
  target: { users: number; groups: number; memberships: number; fingerprint: string };
}

function targetState(scim: ScimServer): Run["target"] {
  const scimUsers = scim.listUsers();
  const names = new Map(scimUsers.map((u) => [u.id, u.userName.toLowerCase()]));
  const groups = scim.listGroups();
  const lines = [
    ...scimUsers.map((u) => `u ${u.userName.toLowerCase()} ${u.active} ${u.displayName} ${u.name?.familyName}`),
    ...groups.map((g) => `g ${g.displayName} ${g.members.map((m) => names.get(m.value) ?? m.value).sort().join(",")}`),
  ].sort();
  return { users: scimUsers.length, groups: groups.length, memberships: groups.reduce((n, g) => n + g.members.length, 0), fingerprint: lines.join("\n") };
}

async function measure(entraStyle: boolean, progress: (step: string) => void): Promise<Run> {
  const world = await startBenchWorld({ users, seed, entraStyle });
  try {
    progress("first cycle");
    const first = await world.cycle();
    progress("second cycle");
    const second = await world.cycle();
    const editCounts = applyEdits(world.graphEmu.admin, edits);
    progress("cycle after edits");
    const afterEdits = await world.cycle();
    return { first, second, afterEdits, edits: editCounts, target: targetState(world.scimSrv) };
  } finally {
    await world.close();
  }
}

async function main(): Promise<void> {
  out("ProvisionDesk benchmark");
  out(machine());
  out(`Tenant: generated (seed ${seed}), ${users.toLocaleString("en-US")} users with groups and app assignments; scope "all"; ` +
    `fresh Graph and SCIM emulators per engine, on 127.0.0.1. SCIM emulator rate limit off; engine pacing ${REQUESTS_PER_SECOND} ` +
    `requests/s (the profile's maximum), ${CONCURRENCY} concurrent requests, state in SQLite on a temp data dir, secrets in memory.`);
  out("Baseline = the ProvisionDesk engine in Entra's documented request pattern (not Entra itself): the target refuses unfiltered " +
    "lists, so every user and group is looked up with its own filtered GET, and memberships go one member per PATCH " +
    "(SCIM emulator bulk.maxOperations 1, profile membershipBatchSize 1).");
  out();

  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  // Warm up the JIT so that neither engine pays for it: a small tenant, not reported.
  const warm = await startBenchWorld({ users: 200, seed: seed + 1, entraStyle: false });
  await warm.cycle().finally(() => warm.close());

  const ours = await measure(false, (step) => process.stderr.write(`[${elapsed()}] ProvisionDesk: ${step}\n`));
  const base = await measure(true, (step) => process.stderr.write(`[${elapsed()}] baseline: ${step}\n`));

  const same = ours.target.fingerprint === base.target.fingerprint;
  out(`Target after all cycles: ${ours.target.users.toLocaleString("en-US")} users, ${ours.target.groups} groups, ` +
    `${ours.target.memberships.toLocaleString("en-US")} memberships; baseline target ${same ? "identical" : "DIFFERENT (the comparison is not valid)"}.`);
  out(`Edits in Entra before the third cycle: ${ours.edits.attributeEdits} users' surname and display name, ` +
    `${ours.edits.membersAdded} members added, ${ours.edits.membersRemoved} removed.`);
  out();
  const rows: Row[] = [
    { cycle: "1 first (empty target)", engine: "ProvisionDesk", m: ours.first },
    { cycle: "1 first (empty target)", engine: "baseline", m: base.first },
    { cycle: "2 incremental, no change", engine: "ProvisionDesk", m: ours.second },
    { cycle: "2 incremental, no change", engine: "baseline", m: base.second },
    { cycle: "3 incremental after edits", engine: "ProvisionDesk", m: ours.afterEdits },
    { cycle: "3 incremental after edits", engine: "baseline", m: base.afterEdits },
  ];
  out(cycleTable(rows));
  out("Objects = users + groups + memberships the cycle created, changed or removed. Lookups = filtered GETs; other GETs = list " +
    "pages, ServiceProviderConfig. Graph requests include token requests.");
  out();
  out("ProvisionDesk / baseline (below 1: ProvisionDesk needs less):");
  out(ratioLine("  first cycle", ours.first, base.first));
  out(ratioLine("  after edits", ours.afterEdits, base.afterEdits));
  out("  The baseline's incremental cycles understate Entra: it also reads each changed object from the target before writing it.");
  out();
  out(referenceLines(ours.first, base.first));
  out(`Total benchmark time ${elapsed()}.`);
  if (!same) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
