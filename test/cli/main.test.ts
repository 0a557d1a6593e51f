import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../electron/cli/main";
import { tempDir } from "./run-cli";
import { runMain, startCliWorld, type CliWorld } from "./world";

let world: CliWorld;

beforeAll(async () => {
  world = await startCliWorld({ seed: 11, profileName: "inproc", ssoMethodName: "SSO", dirPrefix: "pd-main-" });
});
afterAll(() => world?.close());

const cli = (dataDir: string, ...argv: string[]) => runMain(world.env, dataDir, ...argv);

describe("provision-desk main()", () => {
  it("provisions one user on demand with Entra's steps; a target error makes sync exit 1, the next cycle recovers", async () => {
    const data = tempDir();
    expect((await cli(data, "config", "import", world.profileFile)).code).toBe(0);
    const assigned = new Set(world.graph.admin.listAssignments().map((a) => a.principalId));
    const user = world.graph.admin.listUsers().find((u) => assigned.has(u.id))!;

    const one = await cli(data, "provision", "--user", String(user.userPrincipalName));
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/Success\s+Test connection/);
    expect(one.stdout).toMatch(/Import user/);
    expect(one.stdout).toMatch(/Perform action/);
    expect(world.scim.listUsers().map((u) => u.userName)).toEqual([user.userPrincipalName]);

    const human = await cli(data, "sync");
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Cycle \d+, initial cycle, succeeded in [\d.]+ s\./);
    expect(human.stdout).toMatch(/requests \d+ to Microsoft Graph, \d+ to the target/);

    // A new assigned user, and the target answers 500 to the lookup before creating it: exit 1 whether the cycle
    // records that as one failed object or as a failed cycle.
    const added = world.graph.admin.addUser({ displayName: "Failing Person", mailNickname: "failing.person" });
    world.graph.admin.assign(added.id);
    world.scim.setFaults({ match: "^GET /Users$", errorNext: 1, errorStatus: 500 });
    const failing = await cli(data, "sync", "--json");
    expect(failing.code, failing.stdout + failing.stderr).toBe(1);
    const summary = JSON.parse(failing.stdout);
    expect(["completedWithFailures", "failed"]).toContain(summary.outcome);
    expect(summary.outcome === "failed" ? summary.error : String(summary.counts.users.failed)).toMatch(/500|^1$/);

    // Next cycle the target answers again and the user is created.
    world.scim.setFaults({ match: "" });
    const retried = await cli(data, "sync", "--json");
    expect(retried.code, retried.stderr).toBe(0);
    expect(world.scim.listUsers().map((u) => u.userName)).toContain(added.userPrincipalName);
  });

  it("test-connection exits 4 for a rejected client secret and 1 when the target cannot be reached", async () => {
    const data = tempDir();
    expect((await cli(data, "config", "import", world.profileFile)).code).toBe(0);
    const saved = world.env;
    try {
      world.env = { ...saved, PROVISIONDESK_CLIENT_SECRET: "wrong" };
      const rejected = await cli(data, "test-connection", "--side", "source");
      expect(rejected.code).toBe(4);
      expect(rejected.stdout).toMatch(/^FAIL {2}Sign in to Entra ID: /m);
    } finally {
      world.env = saved;
    }
    world.scim.setFaults({ errorNext: 10, errorStatus: 500 });
    const down = await cli(data, "test-connection", "--side", "target", "--json");
    world.scim.setFaults({ errorNext: 0 });
    expect(down.code).toBe(1);
    expect((JSON.parse(down.stdout) as { ok: boolean }[]).some((check) => !check.ok)).toBe(true);
  });

  it("a second cycle while the lock is held elsewhere fails with exit 1 and names the holder", async () => {
    const { acquireCycleLock } = await import("../../electron/engine/lock");
    const data = tempDir();
    expect((await cli(data, "config", "import", world.profileFile)).code).toBe(0);
    const lock = acquireCycleLock(data, "the ProvisionDesk app");
    try {
      const result = await cli(data, "sync");
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Another sync cycle is running");
      expect(result.stderr).toContain("the ProvisionDesk app");
    } finally {
      lock.release();
    }
  });
});

describe("provision-desk serve", () => {
  it("serves browser mode on 127.0.0.1 with a launch token until stopped, then exits 0", async () => {
    let stdout = "";
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let announce: (url: string) => void = () => undefined;
    const announced = new Promise<string>((resolve) => (announce = resolve));
    const exit = main({
      argv: ["--data-dir", tempDir(), "serve", "--port", "0"],
      env: world.env,
      stdin: [],
      stdout: {
        write: (text: string) => {
          stdout += text;
          const match = /open (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(stdout);
          if (match?.[1]) announce(match[1]);
        },
      },
      stderr: { write: () => undefined },
      untilStopped: () => stopped,
    });
    const link = await announced;
    expect(link).toContain("token=");
    expect((await fetch(link)).status).toBe(200);
    expect((await fetch(new URL("/", link))).status).toBe(401);
    stop();
    expect(await exit).toBe(0);
  });
});
