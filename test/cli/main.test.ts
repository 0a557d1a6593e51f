import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../electron/cli/main";
import { DEFAULT_CLIENT_SECRET, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { tempDir, writeJson } from "./run-cli";

// main() in this process with injected streams and environment: the same code the shim runs, without a process per call.
let graph: GraphEmulator;
let scim: ScimServer;
let env: NodeJS.ProcessEnv;
let profileFile: string;

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: 11 });
  scim = await startScimServer();
  const dir = tempDir("pd-main-");
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, graph.caPem);
  profileFile = writeJson(
    dir,
    "profile.json",
    emulatorProfile("inproc", "SSO", { graph, scimUrl: scim.tenantUrl, caFile }),
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

describe("provision-desk main()", () => {
  it("provisions one user on demand with Entra's steps; a target error makes sync exit 1, the next cycle recovers", async () => {
    const data = tempDir();
    expect((await cli(data, "config", "import", profileFile)).code).toBe(0);
    const assigned = new Set(graph.admin.listAssignments().map((a) => a.principalId));
    const user = graph.admin.listUsers().find((u) => assigned.has(u.id))!;

    const one = await cli(data, "provision", "--user", String(user.userPrincipalName));
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/Success\s+Test connection/);
    expect(one.stdout).toMatch(/Import user/);
    expect(one.stdout).toMatch(/Perform action/);
    expect(scim.listUsers().map((u) => u.userName)).toEqual([user.userPrincipalName]);

    const human = await cli(data, "sync");
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Cycle \d+, initial cycle, succeeded in [\d.]+ s\./);
    expect(human.stdout).toMatch(/requests \d+ to Microsoft Graph, \d+ to the target/);

    // A new assigned user, and the target answers 500 to the lookup before creating it: exit 1 whether the cycle
    // records that as one failed object or as a failed cycle.
    const added = graph.admin.addUser({ displayName: "Failing Person", mailNickname: "failing.person" });
    graph.admin.assign(added.id);
    scim.setFaults({ errorNext: 1, errorStatus: 500 });
    const failing = await cli(data, "sync", "--json");
    expect(failing.code, failing.stdout + failing.stderr).toBe(1);
    const summary = JSON.parse(failing.stdout);
    expect(["completedWithFailures", "failed"]).toContain(summary.outcome);
    expect(summary.outcome === "failed" ? summary.error : String(summary.counts.users.failed)).toMatch(/500|^1$/);

    // Next cycle the target answers again and the user is created.
    const retried = await cli(data, "sync", "--json");
    expect(retried.code, retried.stderr).toBe(0);
    expect(scim.listUsers().map((u) => u.userName)).toContain(added.userPrincipalName);
  });

  it("test-connection exits 4 for a rejected client secret and 1 when the target cannot be reached", async () => {
    const data = tempDir();
    expect((await cli(data, "config", "import", profileFile)).code).toBe(0);
    const saved = env;
    try {
      env = { ...saved, PROVISIONDESK_CLIENT_SECRET: "wrong" };
      const rejected = await cli(data, "test-connection", "--side", "source");
      expect(rejected.code).toBe(4);
      expect(rejected.stdout).toMatch(/^FAIL {2}Sign in to Entra ID: /m);
    } finally {
      env = saved;
    }
    scim.setFaults({ errorNext: 10, errorStatus: 500 });
    const down = await cli(data, "test-connection", "--side", "target", "--json");
    scim.setFaults({ errorNext: 0 });
    expect(down.code).toBe(1);
    expect((JSON.parse(down.stdout) as { ok: boolean }[]).some((check) => !check.ok)).toBe(true);
  });

  it("a second cycle while the lock is held elsewhere fails with exit 1 and names the holder", async () => {
    const { acquireCycleLock } = await import("../../electron/engine/lock");
    const data = tempDir();
    expect((await cli(data, "config", "import", profileFile)).code).toBe(0);
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
      env,
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
