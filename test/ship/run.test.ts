// `provision-desk run` as a real process against the emulators and a real SMTP server: scheduled cycles, an alert,
// quarantine back-off, /healthz, and a clean stop on SIGTERM in the middle of a cycle.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { DEFAULT_CLIENT_SECRET, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { runCli, tempDir, writeJson } from "../cli/run-cli";
import { startSmtpSink, type SmtpSink } from "../engine/alerts/smtp-sink";

const CLI = join(import.meta.dirname, "../../electron/cli/provision-desk.js");
const SMTP = { user: "alerts@contoso.com", password: "smtp-pa55-Xq81" };
/** 5 minutes (the shortest interval a profile allows) become 300 ms; the 6 h quarantine back-off 21.6 s. */
const TIME_SCALE = "1000";

let graph: GraphEmulator;
let scim: ScimServer;
let smtp: SmtpSink;
let profileFile: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: 11 });
  scim = await startScimServer();
  smtp = await startSmtpSink(SMTP);
  const dir = tempDir("pd-run-");
  const caFile = join(dir, "graph-ca.pem");
  writeFileSync(caFile, graph.caPem);
  profileFile = writeJson(dir, "profile.json", {
    ...emulatorProfile("tenant-a", "Contoso Entra SSO", { graph, scimUrl: scim.tenantUrl, caFile }),
    schedule: { intervalMinutes: 5 },
    alerts: {
      email: {
        smtpHost: "127.0.0.1",
        smtpPort: smtp.port,
        security: "none",
        from: "provisiondesk@contoso.com",
        to: ["it-admins@contoso.com"],
        username: SMTP.user,
      },
    },
  });
});
afterAll(async () => {
  await graph?.close();
  await scim?.close();
  await smtp?.close();
});
afterEach(() => {
  children.splice(0).forEach((child) => child.kill("SIGKILL"));
  scim.setFaults({ latencyMs: 0 });
  scim.reset(); // every test starts from an empty target: users left by another test would make its cycle trivial
});

const secrets = (scimToken = scim.token) => ({
  PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
  PROVISIONDESK_SCIM_TOKEN: scimToken,
  PROVISIONDESK_SMTP_PASSWORD: SMTP.password,
});

async function importedDataDir(): Promise<string> {
  const data = join(tempDir("pd-run-data-"), "data");
  const result = await runCli(["--data-dir", data, "config", "import", profileFile], { env: secrets() });
  expect(result.code, result.stderr).toBe(0);
  return data;
}

type Line = { event: string; [key: string]: unknown };

/** `provision-desk run` as a child process, its stdout parsed line by line (every line must be JSON). */
function startRun(data: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, "--data-dir", data, "run", "--health-port", "0"], {
    env: { ...process.env, ...env, PROVISIONDESK_TEST_TIME_SCALE: TIME_SCALE },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const lines: Line[] = [];
  let partial = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split("\n");
    partial = parts.pop()!;
    for (const part of parts) lines.push(JSON.parse(part) as Line);
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return {
    child,
    lines,
    exited,
    stderr: () => stderr,
    finished: () => lines.filter((l) => l.event === "cycle.finished").map((l) => l.cycle as { outcome: string }),
    async until(predicate: () => boolean, what: string, ms = 30_000) {
      for (const end = Date.now() + ms; !predicate(); await sleep(50))
        if (Date.now() > end || child.exitCode !== null) throw new Error(`${what} did not happen; stderr: ${stderr}`);
    },
    healthUrl: () => lines.find((l) => l.event === "started")!.healthUrl as string,
  };
}

async function healthz(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as { healthy: boolean; lastCycle: unknown } };
}

describe("provision-desk run", () => {
  it("runs cycles on the interval, reports healthy, and stops with exit code 0 on SIGTERM", async () => {
    const data = await importedDataDir();
    const run = startRun(data, secrets());
    await run.until(() => run.finished().length >= 2, "two cycles");
    expect(
      run
        .finished()
        .slice(0, 2)
        .map((c) => c.outcome),
    ).toEqual(["succeeded", "succeeded"]);
    expect(run.lines.some((l) => l.event === "log")).toBe(true); // the first cycle's creations, one line each
    const health = await healthz(run.healthUrl());
    expect(health.status).toBe(200);
    expect(health.body.healthy).toBe(true);

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.lines.at(-1)?.event).toBe("stopping");
  });

  it("a refused token: one alert mail, 503 on /healthz, and the quarantine back-off instead of the interval", async () => {
    const data = await importedDataDir();
    const before = smtp.mails.length;
    const run = startRun(data, secrets("refused-scim-token-7f3a9c"));
    await run.until(() => run.finished().length >= 1, "the first cycle");
    expect(run.finished()[0]!.outcome).toBe("quarantined");
    await run.until(() => smtp.mails.length > before, "the alert mail", 10_000);
    expect(smtp.mails.at(-1)!.raw).not.toContain("refused-scim-token-7f3a9c");
    const health = await healthz(run.healthUrl());
    expect(health.status).toBe(503);
    expect(health.body.healthy).toBe(false);

    await sleep(2000); // more than 6 intervals (300 ms each), far less than the first back-off (21.6 s)
    expect(run.finished()).toHaveLength(1);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });

  it("SIGTERM during a cycle cancels it safely and exits 0; the next run converges", async () => {
    const data = await importedDataDir();
    scim.setFaults({ latencyMs: 1500 }); // a slow target: every answer takes 1.5 s
    const run = startRun(data, secrets());
    // Stopped once the first user was created: the cycle is then in its apply phase with more creates to go.
    await run.until(() => scim.requests.some((r) => r.method === "POST"), "the first create", 60_000);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.finished().map((c) => c.outcome)).toEqual(["cancelled"]);

    scim.setFaults({ latencyMs: 0 });
    const next = startRun(data, secrets());
    await next.until(() => next.finished().length >= 2, "two cycles after the restart");
    expect(next.finished()[0]!.outcome).toBe("succeeded");
    const second = next.finished()[1] as unknown as { outcome: string; counts: { users: { create: number } } };
    expect(second.outcome).toBe("succeeded");
    expect(second.counts.users.create).toBe(0); // converged: nothing left to create
    next.child.kill("SIGTERM");
    expect(await next.exited).toBe(0);
  });
});
