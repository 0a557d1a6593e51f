import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { acquireCycleLock, CycleLockedError, LOCK_FILE_NAME } from "../engine/lock";

/** Files that make a folder a ProvisionDesk data folder (state, profiles, their copy, and what was set aside). */
const DATA_FILE = /^(state\.sqlite|profiles\.)/;

/**
 * The one default data folder of the app and the CLI: `ProvisionDesk` in the OS's per-user configuration folder, the
 * same folder Electron uses as the app's userData (%APPDATA%, ~/Library/Application Support, $XDG_CONFIG_HOME or
 * ~/.config). PROVISIONDESK_DATA_DIR overrides it for both.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home = homedir(),
): string {
  if (env.PROVISIONDESK_DATA_DIR) return env.PROVISIONDESK_DATA_DIR;
  return join(configBase(env, platform, home), "ProvisionDesk");
}

function configBase(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === "win32") return env.APPDATA ?? join(home, "AppData", "Roaming");
  if (platform === "darwin") return join(home, "Library", "Application Support");
  return env.XDG_CONFIG_HOME || join(home, ".config");
}

/** Where earlier versions kept data by default: the CLI used `provision-desk` on Linux (the app always used the above). */
export function legacyDataDirs(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home = homedir()) {
  return platform === "win32" || platform === "darwin" ? [] : [join(configBase(env, platform, home), "provision-desk")];
}

/**
 * The data folder both the app and the CLI use when none is named, after moving an earlier version's folder into it.
 * `notice` says what was moved, or why it was not (both folders hold data; a cycle was running in the old one).
 */
export function resolveDataDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home = homedir(),
): { dir: string; notice?: string } {
  const dir = defaultDataDir(env, platform, home);
  if (env.PROVISIONDESK_DATA_DIR) return { dir };
  const notices = legacyDataDirs(env, platform, home).flatMap((legacy) => {
    const notice = moveLegacyDataFolder(legacy, dir);
    return notice ? [notice] : [];
  });
  return notices.length > 0 ? { dir, notice: notices.join(" ") } : { dir };
}

const dataFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => DATA_FILE.test(name)) : []);

/** Moves the data files of `legacy` into `dir` when `dir` holds none yet; returns what the admin should know. */
export function moveLegacyDataFolder(legacy: string, dir: string): string | null {
  const files = dataFiles(legacy);
  if (files.length === 0) return null;
  if (dataFiles(dir).length > 0)
    return (
      `An older data folder was found at ${legacy} and left as it is, because ${dir} already holds data. ` +
      `To use its profile, run "provision-desk --data-dir ${legacy} config export FILE" and import FILE.`
    );
  // Under the old folder's cycle lock, so a cycle an older CLI runs there is never moved out from under it.
  let lock;
  try {
    lock = acquireCycleLock(legacy, "ProvisionDesk moving this data folder");
  } catch (error) {
    if (!(error instanceof CycleLockedError)) throw error;
    return `An older data folder at ${legacy} will be moved to ${dir} once the cycle running there has finished.`;
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of files) renameSync(join(legacy, name), join(dir, name));
  } finally {
    lock.release();
  }
  rmSync(join(legacy, LOCK_FILE_NAME), { force: true });
  if (readdirSync(legacy).length === 0) rmdirSync(legacy);
  else writeFileSync(join(legacy, "MOVED.txt"), `ProvisionDesk's data moved to ${dir}\n`, { mode: 0o600 });
  return `Moved the data folder from ${legacy} to ${dir}, where the app and the CLI both keep it now.`;
}
