import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, expect, it } from "vitest";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

it("npm start without the Electron binary says so in one line and serves browser mode", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "pd-start-"));
  dirs.push(dataDir);
  const child = spawn(join("node_modules", ".bin", "tsx"), [join("electron", "launch", "start.ts")], {
    env: { ...process.env, PROVISIONDESK_DATA_DIR: dataDir, ELECTRON_SKIP_BINARY_DOWNLOAD: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const lines: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`npm start exited early (${code}): ${lines.join("\n")}`)));
      createInterface({ input: child.stdout }).on("line", (line) => {
        lines.push(line);
        const found = /running at (\S+)/.exec(line);
        if (found?.[1]) resolve(found[1]);
      });
    });
    expect(lines[0]).toMatch(/^Electron is not available on this machine .*starting browser mode instead\.$/);
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(new URL(url).origin)).status).toBe(401);
  } finally {
    child.kill("SIGTERM");
  }
}, 120_000);
