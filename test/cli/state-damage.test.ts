import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../electron/cli/main";
import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { DEFAULT_CLIENT_SECRET, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { createMemorySecretStore } from "../../electron/engine/secrets";
import { createEngineService } from "../../electron/engine/service";
import { tempDir, writeJson } from "./run-cli";

let graph: GraphEmulator;
let scim: ScimServer;
let env: NodeJS.ProcessEnv;
let profileFile: string;

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: 5 });
  scim = await startScimServer();
  const dir = tempDir("pd-damage-");
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, graph.caPem);
  profileFile = writeJson(
    dir,
    "profile.json",
    emulatorProfile("acme", "SSO", { graph, scimUrl: scim.tenantUrl, caFile }),
  );
  env = { PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET, PROVISIONDESK_SCIM_TOKEN: scim.token };
});
afterAll(async () => {
  await graph?.close();
  await scim?.close();
});

async function cli(dataDir: string, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main({
    argv: ["--data-dir", dataDir, ...argv],
    env,
    stdin: [],
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

const duplicates = (names: string[]) => names.filter((name, i) => names.indexOf(name) !== i);

describe("a state database overwritten with random bytes", () => {
  it("is set aside with a message; the profile survives; the next cycle re-links by matching without duplicates", async () => {
    const data = tempDir();
    expect((await cli(data, "config", "import", profileFile)).code).toBe(0);
    const first = await cli(data, "sync", "--json");
    expect(first.code, first.stderr).toBe(0);
    const users = scim.listUsers().map((u) => u.userName);
    const groups = scim.listGroups().map((g) => g.displayName);
    expect(users.length).toBeGreaterThan(0);

    const state = join(data, "state.sqlite");
    for (const side of ["-wal", "-shm"]) rmSync(state + side, { force: true });
    writeFileSync(state, randomBytes(64 * 1024));

    // The first command to open it says what happened, and the profile is still there.
    const status = await cli(data, "status");
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toMatch(
      /Warning: The state database was damaged and was set aside as .*state\.sqlite\.damaged-/,
    );
    expect(status.stderr).toContain("Your profiles are kept apart and are unharmed");
    expect(readdirSync(data).some((file) => file.startsWith("state.sqlite.damaged-"))).toBe(true);
    const exported = await cli(data, "config", "export");
    expect(JSON.parse(exported.stdout)).toMatchObject({ name: "acme" });

    // The window shows it until a cycle has rebuilt the state.
    const app = createEngineService({ dataDir: data, secrets: createMemorySecretStore(), scheduled: false });
    expect(app.dashboard().notice).toContain("The state database was damaged");
    await app.close();

    const rebuilt = await cli(data, "sync", "--json");
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const summary = JSON.parse(rebuilt.stdout) as { kind: string; counts: { users: { create: number } } };
    expect(summary.kind).toBe("initial");
    expect(summary.counts.users.create).toBe(0);
    expect(
      scim
        .listUsers()
        .map((u) => u.userName)
        .sort(),
    ).toEqual([...users].sort());
    expect(duplicates(scim.listUsers().map((u) => u.userName))).toEqual([]);
    expect(duplicates(scim.listGroups().map((g) => g.displayName))).toEqual([]);
    expect(
      scim
        .listGroups()
        .map((g) => g.displayName)
        .sort(),
    ).toEqual([...groups].sort());

    // The provisioning log of that cycle says why it was a full one; the notice is gone after it.
    const after = createEngineService({ dataDir: data, secrets: createMemorySecretStore(), scheduled: false });
    const { entries } = after.logs({ objectType: ["cycle"], limit: 50 });
    expect(entries.filter((entry) => entry.errorCode === "StateDatabaseDamaged")).toEqual([
      expect.objectContaining({ status: "Warning", message: expect.stringContaining("set aside as") }),
    ]);
    expect(after.dashboard().notice).toBeUndefined();
    await after.close();
    expect(existsSync(state)).toBe(true);
  });

  it("a damaged profiles file is restored from the copy beside it, and the CLI says so", async () => {
    const data = tempDir();
    expect((await cli(data, "config", "import", profileFile)).code).toBe(0);
    const before = (await cli(data, "config", "export")).stdout;
    writeFileSync(join(data, "profiles.sqlite"), randomBytes(16 * 1024));
    const after = await cli(data, "config", "export");
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toMatch(/Warning: The profiles file was damaged and moved to .*; "acme" was restored/);
    expect(after.stdout).toBe(before);
  });
});
