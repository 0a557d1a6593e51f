import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_CLIENT_SECRET,
  generateDirectory,
  startGraphEmulator,
  type GraphEmulator,
} from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { runCli, tempDir, writeJson } from "./run-cli";

// The real CLI as a child process: a first cycle of 1,100+ users, then its log exported in full as CSV and JSON.
let graph: GraphEmulator;
let scim: ScimServer;
let data: string;
let cycleId: number;
let created: number;
const USERS = 1100;

interface Summary {
  id: string;
  cycleId: string;
  provisioningAction: string;
  sourceIdentity: { identityType: string; displayName: string };
  provisioningSteps: unknown[];
  modifiedProperties: { displayName: string }[];
}

const cli = (...args: string[]) =>
  runCli(["--data-dir", data, ...args], {
    env: { PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET, PROVISIONDESK_SCIM_TOKEN: scim.token },
  });

/** Parses RFC 4180 CSV (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") endCell();
    else if (c === "\r" && text[i + 1] === "\n") {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  return rows;
}

beforeAll(async () => {
  graph = await startGraphEmulator({ directory: generateDirectory({ seed: 11, users: USERS }), seed: 11 });
  scim = await startScimServer();
  const dir = tempDir("pd-cli-logs-");
  const caFile = join(dir, "graph-ca.pem");
  writeFileSync(caFile, graph.caPem);
  const base = emulatorProfile("logs", "Contoso Entra SSO", { graph, scimUrl: scim.tenantUrl, caFile });
  const profileFile = writeJson(dir, "profile.json", {
    ...base,
    source: { ...base.source, scope: "all" },
    target: { ...base.target, requestsPerSecond: 1000, concurrency: 8 },
  });
  data = join(dir, "data");
  expect((await cli("config", "import", profileFile)).code).toBe(0);
  const sync = await cli("sync", "--json");
  expect(sync.code, sync.stderr).toBe(0);
  const summary = JSON.parse(sync.stdout) as { cycleId: number; counts: { users: { create: number } } };
  cycleId = summary.cycleId;
  created = summary.counts.users.create;
}, 180_000);

afterAll(async () => {
  await graph?.close();
  await scim?.close();
});

describe("provision-desk logs exports a whole cycle", () => {
  it("--format csv: one summary row per entry (every create of a 1,000+ user cycle), steps and properties by Change Id", async () => {
    expect(created).toBeGreaterThan(1000);
    const out = await cli("logs", "--cycle", String(cycleId), "--format", "csv");
    expect(out.code, out.stderr).toBe(0);
    const [header, ...rows] = parseCsv(out.stdout);
    const col = (name: string) => header!.indexOf(name);
    const summaries = rows.filter((r) => r[col("Record")] === "Summary");
    const creates = summaries.filter((r) => r[col("Action")] === "Create" && r[col("Identity Type")] === "User");
    expect(creates).toHaveLength(created);
    expect(new Set(summaries.map((r) => r[col("Cycle Id")]))).toEqual(new Set([String(cycleId)]));
    // Every step and property row belongs to an entry of the file, through its Change Id.
    const changeIds = new Set(summaries.map((r) => r[col("Change Id")]));
    const details = rows.filter((r) => r[col("Record")] !== "Summary");
    expect(details.length).toBeGreaterThan(summaries.length * 3);
    for (const r of details) expect(changeIds.has(r[col("Change Id")]!)).toBe(true);
    const firstCreate = creates[0]![col("Change Id")];
    const props = details.filter((r) => r[col("Change Id")] === firstCreate && r[col("Record")] === "ModifiedProperty");
    expect(props.map((r) => r[col("Property")])).toContain("userName");
  });

  it("--format json: every entry, shaped like Graph's provisioningObjectSummary; --limit still caps it", async () => {
    const out = await cli("logs", "--cycle", String(cycleId), "--format", "json");
    expect(out.code, out.stderr).toBe(0);
    const entries = JSON.parse(out.stdout) as Summary[];
    const creates = entries.filter(
      (e) => e.provisioningAction === "create" && e.sourceIdentity.identityType === "User",
    );
    expect(creates).toHaveLength(created);
    expect(entries.every((e) => e.cycleId === String(cycleId))).toBe(true);
    expect(creates[0]!.modifiedProperties.map((p) => p.displayName)).toContain("userName");

    const capped = await cli("logs", "--cycle", String(cycleId), "--format", "json", "--limit", "5");
    expect(JSON.parse(capped.stdout)).toHaveLength(5);
  });

  it("the text view shows the newest 200 and says how many more match; filters narrow it server-side", async () => {
    const text = await cli("logs", "--cycle", String(cycleId));
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split("\n")).toHaveLength(200);
    expect(text.stderr).toMatch(/newest 200 of \d{4} entries/);

    // The same answer the whole export gives when searched by hand, accents and all.
    const all = JSON.parse((await cli("logs", "--format", "json")).stdout) as Summary[];
    const expected = all
      .filter((e) => e.provisioningAction === "create" && e.sourceIdentity.identityType === "User")
      .filter((e) => /björn/i.test(e.sourceIdentity.displayName))
      .map((e) => e.id);
    expect(expected.length).toBeGreaterThan(0);
    const found = await cli("logs", "--identity", "bjorn", "--type", "user", "--action", "create", "--format", "json");
    expect(found.code, found.stderr).toBe(0);
    expect((JSON.parse(found.stdout) as Summary[]).map((e) => e.id)).toEqual(expected);

    const bad = await cli("logs", "--status", "Exploded");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"Exploded" is not one of Success, Failure, Skipped, Warning/);
    const badTime = await cli("logs", "--from", "yesterday");
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toMatch(/--from/);
  });
});
