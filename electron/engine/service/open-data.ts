import { join } from "node:path";
import { openDatabase } from "../db";
import { openProfileStore, PROFILES_BACKUP_FILE, PROFILES_FILE } from "../db/profile-store";
import { stateDamagedNotice } from "./profile-ops";

export const DATABASE_FILE = "state.sqlite";

/**
 * Opens the profile store and the state database in the data folder. A damaged file is set aside (and the profiles
 * restored from their copy where possible); `notify` tells the admin.
 */
export function openDataFiles(dataDir: string, notify: (message: string) => void, info: (message: string) => void) {
  const store = openProfileStore(join(dataDir, PROFILES_FILE), {
    onDamaged: (file, restored) =>
      notify(
        restored.length > 0
          ? `The profiles file was damaged and moved to ${file}; ${restored.map((n) => `"${n}"`).join(", ")} ${restored.length === 1 ? "was" : "were"} restored from the copy kept beside it (${PROFILES_BACKUP_FILE}).`
          : `The profiles file was damaged and moved to ${file}, and no copy of it could be read. Import your profiles again ("provision-desk config import FILE") or set them up in the app.`,
      ),
  });
  try {
    const db = openDatabase(join(dataDir, DATABASE_FILE), {
      onMovedAside: (file) => {
        const notice = stateDamagedNotice(file);
        // Kept with the profiles (the state database is what was lost) until a cycle has rebuilt the state.
        store.setStateNotice(notice);
        notify(notice);
      },
      takeLegacyProfiles: (rows) => {
        const added = store.addMissing(rows);
        if (added.length > 0) info(`Moved profiles ${added.join(", ")} to ${PROFILES_FILE}.`);
      },
    });
    return { store, db };
  } catch (error) {
    store.close();
    throw error;
  }
}
