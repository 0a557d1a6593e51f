// Two real CLI processes on one data folder: `status` while a `sync` runs in another process, after that process was
// killed, and `sync --wait` queued behind a cycle that holds the lock.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { DEFAULT_CLIENT_SECRET, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { runCli, tempDir, writeJson } from "./run-cli";

const CLI = join(import.meta.dirname, "../../electron/cli/provision-desk.js");
let graph: GraphEmulator;
let scim: ScimServer;
let profileFile: string;
let env: Record<string, string>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: 7 });
  scim = await startScimServer();
  const dir = tempDir("pd-cli-running-");
  const caFile = join(dir, "graph-ca.pem");
  writeFileSync(caFile, graph.caPem);
  profileFile = writeJson(
    dir,
    "profile.json",
    emulatorProfile("e2e", "Contoso Entra SSO", { graph, scimUrl: scim.tenantUrl, caFile }),
  );
  env = { PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET, PROVISIONDESK_SCIM_TOKEN: scim.token };
});
afterAll(async () => {
  await graph?.close();
  await scim?.close();
});
afterEach(async () => {
  // Wait for the killed processes to be gone, so that a request one of them had sent is not counted by the next test.
  await Promise.all(
    children
      .splice(0)
      .map((child) =>
        child.exitCode !== null || child.signalCode !== null ? undefined : (child.kill("SIGKILL"), once(child, "exit")),
      ),
  );
  scim.reset();
});

async function importedDataDir(): Promise<string> {
  const data = join(tempDir("pd-cli-data-"), "data");
  const result = await runCli(["--data-dir", data, "config", "import", profileFile], { env });
  expect(result.code, result.stderr).toBe(0);
  return data;
}

/** A CLI process we can kill: a scheduled `sync` that the machine cuts off, for example. */
function startCli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: "ignore" });
  children.push(child);
  return child;
}

async function status(data: string): Promise<{ status: string; statusMessage: string }> {
  const result = await runCli(["--data-dir", data, "status", "--json"], { env });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { status: string; statusMessage: string };
}

describe("a cycle in another process", () => {
  it("status says it is running while it runs, and interrupted once its process was killed", async () => {
    const data = await importedDataDir();
    scim.setFaults({ latencyMs: 400 }); // a slow target: the first cycle takes many seconds
    const sync = startCli(["--data-dir", data, "sync"]);
    let seen = await status(data);
    for (let tries = 0; seen.status !== "syncing" && tries < 40; tries++) {
      await sleep(250);
      seen = await status(data);
    }
    expect(seen.status).toBe("syncing");
    expect(seen.statusMessage).toMatch(/A sync cycle is running in the provision-desk CLI \(.*sync\) \(process \d+\)/);

    sync.kill("SIGKILL");
    await once(sync, "exit");
    const after = await status(data);
    expect(after.status).toBe("warning");
    expect(after.statusMessage).toContain("interrupted");

    // The next cycle closes the cut-off one and converges without duplicates.
    scim.setFaults({ latencyMs: 0 });
    const next = await runCli(["--data-dir", data, "sync", "--json"], { env });
    expect(next.code, next.stderr).toBe(0);
    const names = scim.listUsers().map((u) => u.userName);
    expect(new Set(names).size).toBe(names.length);
    expect((JSON.parse(next.stdout) as { outcome: string }).outcome).toBe("succeeded");
  });

  it("sync --wait waits for the running cycle to finish instead of failing, then runs", async () => {
    const data = await importedDataDir();
    const holder = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "../engine/service/fixtures/hold-lock.ts"), data],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    children.push(holder);
    await once(holder.stdout!, "data");

    const refused = await runCli(["--data-dir", data, "sync"], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Another sync cycle is running");

    const waiting = spawn(process.execPath, [CLI, "--data-dir", data, "sync", "--wait", "60", "--json"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(waiting);
    let stdout = "";
    let stderr = "";
    waiting.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const told = new Promise<void>((resolve) =>
      waiting.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes("waiting up to")) resolve();
      }),
    );
    await told;
    expect(stderr).toMatch(/A cycle is already running in test holder \(process \d+\): waiting up to 60 s/);
    // Counted from here: requests a killed process of the previous test had in flight may still be arriving.
    const sentBefore = scim.requests.length;
    await sleep(1500);
    expect(scim.requests).toHaveLength(sentBefore); // still waiting: nothing sent
    holder.kill("SIGKILL");
    const [code] = (await once(waiting, "exit")) as [number];
    expect(code, stderr).toBe(0);
    expect((JSON.parse(stdout) as { outcome: string }).outcome).toBe("succeeded");
    expect(scim.listUsers().length).toBeGreaterThan(0);
  }, 180_000); // two CLI processes and a first cycle: slow on a loaded machine
});
