import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_SECRET, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { runCli, tempDir, writeJson } from "./run-cli";

// The real CLI, as a child process, against the Graph emulator (HTTPS with its own CA) and the Splashtop-style SCIM server.
let graph: GraphEmulator;
let scim: ScimServer;
let profileFile: string;
let env: Record<string, string>;

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: 7 });
  scim = await startScimServer();
  const dir = tempDir("pd-cli-e2e-");
  const caFile = join(dir, "graph-ca.pem");
  writeFileSync(caFile, graph.caPem);
  profileFile = writeJson(dir, "profile.json", {
    ...emulatorProfile("e2e", "Contoso Entra SSO", { graph, scimUrl: scim.tenantUrl, caFile }),
    safety: { deletionThreshold: 2 },
  });
  env = { PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET, PROVISIONDESK_SCIM_TOKEN: scim.token };
});

afterAll(async () => {
  await graph?.close();
  await scim?.close();
});

async function importedDataDir(): Promise<string> {
  const data = join(tempDir("pd-cli-data-"), "data");
  const result = await runCli(["--data-dir", data, "config", "import", profileFile], { env });
  expect(result.code, result.stderr).toBe(0);
  return data;
}

const json = (text: string) => JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("provision-desk against the emulators", () => {
  it("checks both connections, previews, syncs, then syncs incrementally; a deletion storm stops with exit 3", async () => {
    const data = await importedDataDir();
    const cli = (...args: string[]) => runCli(["--data-dir", data, ...args], { env });

    const checks = await cli("test-connection", "--json");
    expect(checks.code, checks.stdout + checks.stderr).toBe(0);
    const checkList = json(checks.stdout) as unknown as { name: string; ok: boolean }[];
    expect(checkList.length).toBeGreaterThanOrEqual(5);
    expect(checkList.every((check) => check.ok)).toBe(true);

    const preview = await cli("sync", "--dry-run", "--json");
    expect(preview.code, preview.stderr).toBe(0);
    const planned = json(preview.stdout);
    expect(planned).toMatchObject({ kind: "initial", dryRun: true, outcome: "succeeded" });
    expect(planned.counts.users.create).toBeGreaterThan(0);
    expect(scim.listUsers()).toHaveLength(0);

    const first = await cli("sync", "--json");
    expect(first.code, first.stderr).toBe(0);
    const initial = json(first.stdout);
    expect(initial).toMatchObject({ kind: "initial", dryRun: false, outcome: "succeeded" });
    expect(initial.counts.users.create).toBe(planned.counts.users.create);
    expect(scim.listUsers()).toHaveLength(initial.counts.users.create);
    expect(
      scim
        .listUsers()
        .every((u) => u["urn:ietf:params:scim:schemas:extension:Splashtop:2.0:User"]?.ssoName === "Contoso Entra SSO"),
    ).toBe(true);
    expect(initial.requests.graph).toBeGreaterThan(0);
    expect(initial.requests.target).toBeGreaterThan(0);
    expect(typeof initial.cycleId).toBe("number");
    expect(typeof initial.durationMs).toBe("number");

    const second = await cli("sync", "--json");
    expect(second.code, second.stderr).toBe(0);
    const incremental = json(second.stdout);
    expect(incremental).toMatchObject({ kind: "incremental", outcome: "succeeded" });
    expect(incremental.counts.users.create + incremental.counts.users.update).toBe(0);

    // Three provisioned users disabled in Entra at once: more than the threshold of 2.
    const provisioned = new Set(scim.listUsers().map((u) => u.userName));
    const victims = graph.admin
      .listUsers()
      .filter((u) => provisioned.has(String(u.userPrincipalName)))
      .slice(0, 3);
    expect(victims).toHaveLength(3);
    for (const user of victims) graph.admin.disableUser(user.id);

    const stopped = await cli("sync", "--json");
    expect(stopped.code, stopped.stderr).toBe(3);
    const held = json(stopped.stdout);
    expect(held.outcome).toBe("stoppedByDeletionThreshold");
    expect(held.counts.users.stagedDelete).toBe(3);
    expect(scim.listUsers().filter((u) => u.active === false)).toHaveLength(0);

    const log = await cli("logs", "--cycle", String(held.cycleId), "--format", "csv");
    expect(log.code).toBe(0);
    expect(log.stdout.split("\r\n")[0]).toContain("Record,Change Id,Date,Cycle Id,Action,Status");
    expect(log.stdout.match(/StagedDelete/g)).toHaveLength(3);

    const allowed = await cli("sync", "--allow-deletes", "--json");
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(json(allowed.stdout).counts.users.disable).toBe(3);
    expect(scim.listUsers().filter((u) => u.active === false)).toHaveLength(3);

    const status = await cli("status", "--json");
    expect(status.code).toBe(0);
    expect(json(status.stdout)).toMatchObject({
      profileName: "e2e",
      status: "idle",
      secrets: { clientSecret: true, scimToken: true, smtpPassword: false },
    });
    expect(json(status.stdout).linked.users).toBe(initial.counts.users.create);
  }, 300_000);

  it("shows the scoping decision and every mapped attribute for one user", async () => {
    const data = await importedDataDir();
    const upn = String(graph.admin.listUsers()[0]!.userPrincipalName);
    const result = await runCli(["--data-dir", data, "rules", "test", "--user", upn, "--json"], { env });
    expect(result.code, result.stderr).toBe(0);
    const report = json(result.stdout);
    expect(report.user.userPrincipalName).toBe(upn);
    expect(typeof report.scope.inScope).toBe("boolean");
    const userName = report.attributes.find((a: { target: string }) => a.target === "userName");
    expect(userName).toMatchObject({ status: "value", value: upn, matchingPrecedence: 1 });
    expect(report.attributes.map((a: { target: string }) => a.target)).toContain(
      "urn:ietf:params:scim:schemas:extension:Splashtop:2.0:User:ssoName",
    );

    const human = await runCli(["--data-dir", data, "rules", "test", "--user", upn], { env });
    expect(human.stdout).toContain("Scope:");
    expect(human.stdout).toContain(`userName [matching #1] = "${upn}"`);
  }, 120_000);

  it("exits 4 when the target rejects the SCIM token, and says how to fix it", async () => {
    const data = await importedDataDir();
    const badEnv = { ...env, PROVISIONDESK_SCIM_TOKEN: "not-the-token" };
    const result = await runCli(["--data-dir", data, "sync", "--json"], { env: badEnv });
    expect(result.code, result.stderr).toBe(4);
    const summary = json(result.stdout);
    expect(summary.outcome).toBe("quarantined");
    expect(summary.error).toContain("rejected the token (401)");

    const checks = await runCli(["--data-dir", data, "test-connection", "--side", "target"], { env: badEnv });
    expect(checks.code, checks.stdout + checks.stderr).toBe(4);
    expect(checks.stdout).toContain("FAIL");
  });

  it("exits 4 when Entra ID rejects the client secret", async () => {
    const data = await importedDataDir();
    const result = await runCli(["--data-dir", data, "sync"], {
      env: { ...env, PROVISIONDESK_CLIENT_SECRET: "wrong-secret" },
    });
    expect(result.code, result.stdout + result.stderr).toBe(4);
    expect(result.stdout).toMatch(/quarantined/);
  });
});
