import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The Electron binary is downloaded by the electron package's own install script, which the lock file does not run
 * (it fails where GitHub is unreachable and would break `npm ci`). Fetch it on first start instead; null when it
 * cannot be had, so the caller falls back to browser mode.
 */
export function findElectronBinary(): string | null {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve("electron/package.json"));
  } catch {
    return null;
  }
  const resolve = () => {
    const pathFile = join(pkgDir, "path.txt");
    if (!existsSync(pathFile)) return null;
    const binary = join(pkgDir, "dist", readFileSync(pathFile, "utf8").trim());
    return existsSync(binary) ? binary : null;
  };
  const found = resolve();
  // Electron's own installer honours this variable too: offline machines and tests skip the download attempt.
  if (found || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === "1") return found;
  spawnSync(process.execPath, [join(pkgDir, "install.js")], { stdio: "ignore", timeout: 120_000 });
  return resolve();
}
