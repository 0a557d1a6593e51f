import type { Profile } from "../../../shared/config/profile";
import type { Problem } from "../../../shared/ipc/model";
import type { ProfileStore } from "../db/profile-store";
import { EngineError } from "./errors";
import { formatErrors } from "./profile-ops";
import { checkProfile } from "./profile-io";
import { rulesView, type RulesView } from "./rules-view";

/** A stored profile as loaded: `profile` is null when it no longer passes the schema (problems say why). */
interface Loaded {
  name: string;
  revision: number;
  profile: Profile | null;
  problems: Problem[];
}

/**
 * The profile this process uses, kept in step with the profile store. `onChange` is told when a sync picked up
 * another profile or revision (nameChanged: another profile, so its secrets must be checked again).
 */
export function createActiveProfile(deps: {
  store: ProfileStore;
  dataDir: string;
  /** The name given by --profile / PROVISIONDESK_PROFILE, if any. */
  profileName?: string;
  onChange: (nameChanged: boolean) => void;
}) {
  const { store, dataDir } = deps;
  /** The profile named by --profile / PROVISIONDESK_PROFILE or picked in this process; else the stored selection. */
  let pinned: string | null = deps.profileName ?? null;
  const pickProfileName = (): string | null => {
    if (pinned) return pinned;
    const active = store.active();
    if (active) return active;
    const names = store.list().map((p) => p.name);
    return names.includes("default") ? "default" : (names[0] ?? null);
  };
  const load = (name: string | null): Loaded | null => {
    const row = name ? store.get(name) : null;
    if (!row) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(row.json);
    } catch {
      raw = null;
    }
    return { name: row.name, revision: row.revision, ...checkProfile(raw) };
  };
  let loaded = load(pickProfileName());
  let profileName = loaded?.name ?? pickProfileName();
  let profile: Profile | null = loaded?.profile ?? null;

  /**
   * Picks up saves made elsewhere (the CLI while the app runs, or the other way round): cheap when nothing changed,
   * one indexed read. Called wherever the profile is used.
   */
  function sync(): void {
    const name = pickProfileName();
    const revision = name ? store.revision(name) : null;
    if (name === profileName && revision === (loaded?.revision ?? null)) return;
    const nameChanged = name !== profileName;
    loaded = load(name);
    profileName = name;
    profile = loaded?.profile ?? null;
    deps.onChange(nameChanged);
  }

  const rules = (): RulesView => {
    sync();
    return rulesView(profile);
  };
  /** The first rule problem that stops cycles, in words; null when cycles may run. */
  const rulesBlocker = () => {
    const problem = rules().problems.find((p) => p.severity === "error");
    return problem ? `Cycles are blocked until the mappings are fixed: ${problem.path}: ${problem.message}` : null;
  };

  function requireProfile(): Profile {
    sync();
    if (profile) return profile;
    if (loaded)
      throw new EngineError(
        "config",
        `The stored profile "${loaded.name}" is no longer valid:\n${formatErrors(loaded.problems)}\nSave a corrected profile in the app, or import one ("provision-desk config import FILE").`,
      );
    const stored = store.list().map((p) => `"${p.name}"`);
    const which =
      deps.profileName && stored.length > 0
        ? `No profile named "${deps.profileName}" is stored in ${dataDir} (there is ${stored.join(", ")})`
        : `No profile is set up in ${dataDir}`;
    throw new EngineError(
      "notConfigured",
      `${which}. Import one ("provision-desk config import FILE") or set up the connections in the app.`,
    );
  }

  return {
    sync,
    rules,
    rulesBlocker,
    requireProfile,
    requireRunnable(): Profile {
      const ready = requireProfile();
      const blocker = rulesBlocker();
      if (blocker) throw new EngineError("blocked", blocker);
      return ready;
    },
    /** The profile as last synced (null: none stored, or no longer valid). */
    get profile() {
      return profile;
    },
    /** The name of the profile in use, also when it is no longer valid. */
    get name() {
      return profileName;
    },
    get revision() {
      return loaded?.revision ?? null;
    },
    get problems() {
      return loaded?.problems ?? [];
    },
    /** Whose secrets the profile uses. */
    secretName: () => profile?.name ?? profileName ?? "default",
    get pinned() {
      return pinned;
    },
    /** Uses `name` in this process whatever the stored selection says. */
    pin(name: string) {
      pinned = name;
    },
  };
}
export type ActiveProfile = ReturnType<typeof createActiveProfile>;
