import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import type { SecretStore } from "../engine/secrets";
import { createEngineService } from "../engine/service";
import { startBrowserServer } from "../server";
import { findElectronBinary } from "./electron-binary";
import { ensureRendererBuilt, projectRoot, rendererDir } from "./renderer-build";

export interface LaunchOptions {
  dataDir: string;
  profileName?: string;
  /** Used by browser mode in this process. */
  secrets: SecretStore;
  /** Secrets handed to an Electron child through its environment (never written to disk). */
  secretEnv?: Record<string, string>;
  port?: number;
  log: (line: string) => void;
}

export interface Launched {
  url: string | null;
  close(): Promise<void>;
}

/** Opens the app: Electron where its binary is available, otherwise browser mode on 127.0.0.1. */
export async function launchApp(options: LaunchOptions): Promise<Launched> {
  const electron = process.env.PROVISIONDESK_BROWSER_MODE === "1" ? null : findElectronBinary();
  if (electron) return launchElectron(electron, options);
  options.log(
    "Electron is not available on this machine (its binary could not be downloaded); starting browser mode instead.",
  );
  return launchBrowserMode(options);
}

async function launchBrowserMode(options: LaunchOptions): Promise<Launched> {
  ensureRendererBuilt(options.log);
  const service = createEngineService({
    dataDir: options.dataDir,
    secrets: options.secrets,
    profileName: options.profileName,
  });
  const server = await startBrowserServer({ service, port: options.port, staticDir: rendererDir });
  options.log(`ProvisionDesk is running at ${server.url}`);
  return {
    url: server.url,
    async close() {
      await server.close();
      await service.close();
    },
  };
}

function launchElectron(binary: string, options: LaunchOptions): Launched {
  ensureRendererBuilt(options.log);
  const bundle = spawnSync(process.execPath, [join(projectRoot, "build", "bundle-main.mjs")], {
    cwd: projectRoot,
    stdio: "inherit",
  });
  if (bundle.status !== 0) throw new Error("Bundling the main process failed; see the output above.");
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.secretEnv, PROVISIONDESK_DATA_DIR: options.dataDir };
  if (options.profileName) env.PROVISIONDESK_PROFILE = options.profileName;
  const child = spawn(binary, [join(projectRoot, "dist", "electron", "main", "main.js")], {
    cwd: projectRoot,
    env,
    stdio: "inherit",
  });
  return {
    url: null,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}
