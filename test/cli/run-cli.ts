import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = join(import.meta.dirname, "../../electron/cli/provision-desk.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a child process on plain Node, the way an admin or a scheduled task does. */
export function runCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string } = {},
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PROVISIONDESK_CLIENT_SECRET: "",
    PROVISIONDESK_SCIM_TOKEN: "",
    ...options.env,
  };
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.input ?? "");
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export const tempDir = (prefix = "pd-cli-") => mkdtempSync(join(tmpdir(), prefix));

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

/** A valid profile as an admin writes it (defaults left out). */
export const sampleProfile = (overrides: Record<string, unknown> = {}) => ({
  name: "splashtop",
  source: {
    tenantId: "11111111-2222-3333-4444-555555555555",
    clientId: "66666666-7777-8888-9999-000000000000",
    appId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
  },
  target: { preset: "splashtop", tenantUrl: "https://my.splashtop.com/scim/v1", ssoMethodName: "Contoso Entra SSO" },
  deprovision: "disable",
  safety: { deletionThreshold: 50 },
  schedule: { intervalMinutes: 30 },
  ...overrides,
});
