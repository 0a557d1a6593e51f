import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const projectRoot = join(import.meta.dirname, "..", "..");
export const rendererDir = join(projectRoot, "dist", "renderer");

/** Browser mode serves the built renderer: build it once when it is missing (a fresh clone). */
export function ensureRendererBuilt(log: (line: string) => void): void {
  if (existsSync(join(rendererDir, "index.html"))) return;
  log("Building the user interface (first start only)…");
  const vite = join(projectRoot, "node_modules", "vite", "bin", "vite.js");
  const run = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], {
    cwd: projectRoot,
    stdio: "inherit",
  });
  if (run.status !== 0) throw new Error("Building the user interface failed; see the output above.");
}
