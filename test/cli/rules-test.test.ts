import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { DEFAULT_CLIENT_SECRET, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { runCli, tempDir, writeJson } from "./run-cli";

// `provision-desk rules test` as a child process against the emulators: the engine's whole scope decision.
let graph: GraphEmulator;
let scim: ScimServer;
let data: string;
let env: Record<string, string>;

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: 9 });
  scim = await startScimServer();
  const dir = tempDir("pd-cli-rules-");
  const caFile = join(dir, "graph-ca.pem");
  writeFileSync(caFile, graph.caPem);
  const profileFile = writeJson(
    dir,
    "profile.json",
    emulatorProfile("rules", "Contoso SSO", { graph, scimUrl: scim.tenantUrl, caFile }),
  );
  env = { PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET, PROVISIONDESK_SCIM_TOKEN: scim.token };
  data = join(dir, "data");
  const imported = await runCli(["--data-dir", data, "config", "import", profileFile], { env });
  expect(imported.code, imported.stderr).toBe(0);
});
afterAll(async () => {
  await graph?.close();
  await scim?.close();
});

describe("provision-desk rules test", () => {
  it("shows an unassigned user as out of scope, with the reason, in JSON and in words", async () => {
    const stranger = graph.admin.addUser({
      userPrincipalName: "sam.stranger@contoso.com",
      displayName: "Sam Stranger",
      mailNickname: "sam.stranger",
    });
    const asJson = await runCli(["--data-dir", data, "rules", "test", "--user", stranger.id, "--json"], { env });
    expect(asJson.code, asJson.stderr).toBe(0);
    const report = JSON.parse(asJson.stdout) as {
      scope: { inScope: boolean; reason: string; steps: { step: string; outcome: string }[] };
      wouldProvision: boolean;
    };
    expect(report.scope.inScope).toBe(false);
    expect(report.scope.reason).toBe("not assigned to the app");
    expect(report.scope.steps[0]).toMatchObject({ step: "assignment", outcome: "fail" });
    expect(report.wouldProvision).toBe(false);

    const words = await runCli(["--data-dir", data, "rules", "test", "--user", "sam.stranger@contoso.com"], { env });
    expect(words.code, words.stderr).toBe(0);
    expect(words.stdout).toContain("Scope: OUT of scope — not assigned to the app");
    expect(words.stdout).toContain("FAIL Not assigned to the app, neither directly nor through an assigned group.");
    expect(words.stdout).toContain("This user would NOT be provisioned.");
  }, 60_000);

  it("answers an unknown user with a plain 'not found' and a non-zero exit", async () => {
    const result = await runCli(["--data-dir", data, "rules", "test", "--user", "nobody@contoso.com"], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `Error: No user "nobody@contoso.com" was found in Entra ID (tenant ${graph.tenantId}). Check the user principal name or object id.\n`,
    );
    expect(result.stdout).toBe("");
  }, 60_000);
});
