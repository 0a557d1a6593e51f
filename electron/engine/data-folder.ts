import { chmodSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { EngineError } from "./service/errors";

/**
 * Creates the data folder if needed and makes it private: the folder 0700 and every file in it 0600, also when it
 * already existed (it holds user names, e-mail addresses and the whole provisioning log). Sub-folders are left as
 * they are: the Electron app shares this folder with Chromium, which manages its own.
 */
export function prepareDataFolder(dir: string): void {
  let existing;
  try {
    existing = statSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    throw cannotCreate(dir, error);
  }
  if (existing && !existing.isDirectory())
    throw new EngineError(
      "config",
      `The data folder ${dir} is a file, not a folder. Point --data-dir (or PROVISIONDESK_DATA_DIR) at a folder; it is created if it does not exist.`,
    );
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw cannotCreate(dir, error);
  }
  if (process.platform === "win32") return; // Windows has ACLs, not modes: the folder under %APPDATA% is the user's.
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true }))
    if (entry.isFile()) chmodSync(join(dir, entry.name), 0o600);
}

const cannotCreate = (dir: string, error: unknown) =>
  new EngineError(
    "config",
    `The data folder ${dir} cannot be created (${(error as NodeJS.ErrnoException).code ?? "error"}). Check that its parent folders are folders you can write to, or pass another --data-dir.`,
    (error as Error).message,
  );
