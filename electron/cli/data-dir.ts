import { homedir } from "node:os";
import { join } from "node:path";

/** Where profiles, the state database and the cycle lock live: PROVISIONDESK_DATA_DIR, else the OS's usual place. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home = homedir(),
): string {
  if (env.PROVISIONDESK_DATA_DIR) return env.PROVISIONDESK_DATA_DIR;
  if (platform === "win32") return join(env.APPDATA ?? join(home, "AppData", "Roaming"), "ProvisionDesk");
  if (platform === "darwin") return join(home, "Library", "Application Support", "ProvisionDesk");
  return join(env.XDG_CONFIG_HOME || join(home, ".config"), "provision-desk");
}
