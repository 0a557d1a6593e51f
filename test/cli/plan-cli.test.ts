import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { DEFAULT_CLIENT_SECRET, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import type { PlanView } from "../../shared/ipc/plan-model";
import { runCli, tempDir, writeJson } from "./run-cli";

// sync --dry-run --json / --save-plan and apply-plan, as a child process against the emulators.
let graph: GraphEmulator;
let scim: ScimServer;
let data: string;
let dir: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(["--data-dir", data, ...args], { env });

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: 11 });
  scim = await startScimServer();
  dir = tempDir("pd-cli-plan-");
  const caFile = join(dir, "graph-ca.pem");
  writeFileSync(caFile, graph.caPem);
  const profileFile = writeJson(dir, "profile.json", {
    ...emulatorProfile("plan", "Contoso Entra SSO", { graph, scimUrl: scim.tenantUrl, caFile }),
  });
  env = { PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET, PROVISIONDESK_SCIM_TOKEN: scim.token };
  data = join(dir, "data");
  const imported = await cli("config", "import", profileFile);
  expect(imported.code, imported.stderr).toBe(0);
});

afterAll(async () => {
  await graph?.close();
  await scim?.close();
});

describe("plans from the CLI", () => {
  it("prints and saves the preview's plan, applies it without the rejected items, and refuses a stale plan", async () => {
    const preview = await cli("sync", "--dry-run", "--json", "--save-plan", join(dir, "plan.json"));
    expect(preview.code, preview.stderr).toBe(0);
    const printed = JSON.parse(preview.stdout) as { cycleId: number; dryRun: boolean; plan: PlanView };
    expect(printed.dryRun).toBe(true);
    const creates = printed.plan.items.filter((i) => i.kind === "create" && i.objectType === "user");
    expect(creates.length).toBeGreaterThan(2);
    expect(creates[0]!.id).toBe(`user:${creates[0]!.sourceId}`);
    // The log holds one line for the preview, with its counts; the items are in the plan printed above.
    const previewLog = await cli("logs", "--cycle", String(printed.cycleId));
    expect(previewLog.code, previewLog.stderr).toBe(0);
    expect(previewLog.stdout.trim().split("\n")).toHaveLength(1);
    expect(previewLog.stdout).toContain(
      `Preview: ${printed.plan.items.filter((i) => i.kind === "create").length} creates`,
    );

    // Entra changes one planned user after the preview: the saved plan is refused, nothing is written, exit 1.
    const changed = creates[2]!;
    graph.admin.updateUser(changed.sourceId, { displayName: "Renamed After Preview" });
    const stale = await cli("apply-plan", join(dir, "plan.json"));
    expect(stale.code, stale.stderr).toBe(1);
    expect(stale.stdout).toContain("changed 1 of the approved items");
    expect(stale.stdout).toContain(changed.id);
    expect(scim.requests.filter((r) => r.method !== "GET")).toEqual([]);

    // A fresh preview, applied without two creates (and their memberships).
    const again = await cli("sync", "--dry-run", "--save-plan", join(dir, "plan2.json"));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`[${creates[0]!.id}]`);
    const plan = JSON.parse(readFileSync(join(dir, "plan2.json"), "utf8")) as PlanView;
    const reject = creates.slice(0, 2);
    const rejectIds = new Set(reject.map((i) => i.sourceId));
    const withMembers = plan.items.filter((i) => rejectIds.has(i.sourceId)).map((i) => i.id);
    const applied = await cli("apply-plan", join(dir, "plan2.json"), "--reject", withMembers.join(","), "--json");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ status: "applied", outcome: "succeeded" });
    const held = new Set(scim.listUsers().map((u) => u.userName));
    expect(held.size).toBe(creates.length - 2);
    for (const r of reject) expect(held).not.toContain(graph.admin.getUser(r.sourceId)!.userPrincipalName);
    expect(scim.listUsers().find((u) => u.displayName === "Renamed After Preview")).toBeDefined();

    const notPlan = await cli("apply-plan", join(dir, "profile.json"));
    expect(notPlan.code).toBe(2);
    expect(notPlan.stderr + notPlan.stdout).toContain("is not a plan saved by");
  }, 180_000);
});
