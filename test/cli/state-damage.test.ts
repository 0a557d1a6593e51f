import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemorySecretStore } from "../../electron/engine/secrets";
import { createEngineService } from "../../electron/engine/service";
import { tempDir } from "./run-cli";
import { runMain, startCliWorld, type CliWorld } from "./world";

let world: CliWorld;

beforeAll(async () => {
  world = await startCliWorld({ seed: 5, profileName: "acme", ssoMethodName: "SSO", dirPrefix: "pd-damage-" });
});
afterAll(() => world?.close());

const cli = (dataDir: string, ...argv: string[]) => runMain(world.env, dataDir, ...argv);

const duplicates = (names: string[]) => names.filter((name, i) => names.indexOf(name) !== i);

describe("a state database overwritten with random bytes", () => {
  it("is set aside with a message; the profile survives; the next cycle re-links by matching without duplicates", async () => {
    const data = tempDir();
    expect((await cli(data, "config", "import", world.profileFile)).code).toBe(0);
    const first = await cli(data, "sync", "--json");
    expect(first.code, first.stderr).toBe(0);
    const users = world.scim.listUsers().map((u) => u.userName);
    const groups = world.scim.listGroups().map((g) => g.displayName);
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
      world.scim
        .listUsers()
        .map((u) => u.userName)
        .sort(),
    ).toEqual([...users].sort());
    expect(duplicates(world.scim.listUsers().map((u) => u.userName))).toEqual([]);
    expect(duplicates(world.scim.listGroups().map((g) => g.displayName))).toEqual([]);
    expect(
      world.scim
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
    expect((await cli(data, "config", "import", world.profileFile)).code).toBe(0);
    const before = (await cli(data, "config", "export")).stdout;
    writeFileSync(join(data, "profiles.sqlite"), randomBytes(16 * 1024));
    const after = await cli(data, "config", "export");
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toMatch(/Warning: The profiles file was damaged and moved to .*; "acme" was restored/);
    expect(after.stdout).toBe(before);
  });
});
