import type { SecretName } from "../../../shared/config/profile";
import type { ProfileList, ProfileSaveResult } from "../../../shared/ipc/model";
import type { ActiveProfile } from "./active-profile";
import type { CycleControl } from "./cycle-control";
import { EngineError } from "./errors";
import {
  deleteStoredProfile,
  renameStoredProfile,
  requireStored,
  storeProfile,
  type ProfileOpsContext,
} from "./profile-ops";
import { ProfileValidationError } from "./profile-io";
import type { SecretsPresence } from "./secrets-presence";

/** Saving, importing, selecting, renaming and deleting profiles and setting secrets, with the window kept in step. */
export function createProfileCommands(
  deps: ProfileOpsContext & {
    active: ActiveProfile;
    presence: SecretsPresence;
    cycles: CycleControl;
    emitDashboard: () => void;
  },
) {
  const { store, active, presence, emitDashboard } = deps;

  function listProfiles(): ProfileList {
    active.sync();
    return { active: active.name, profiles: store.list() };
  }

  /** After the selection or the stored profiles changed: the profile in use, its secrets, the window. */
  async function followChange(): Promise<void> {
    active.sync();
    await presence.refresh();
    emitDashboard();
  }

  function requireIdle(name: string, what: string): void {
    if (deps.cycles.running && name === active.name)
      throw new EngineError(
        "locked",
        `A cycle is running for "${name}". It can be ${what} once the cycle has finished.`,
      );
  }

  return {
    listProfiles,
    async saveProfile(input: unknown, baseRevision: number | null | "overwrite"): Promise<ProfileSaveResult> {
      const { name, ...result } = storeProfile(store, input, baseRevision);
      active.sync();
      if (result.status === "saved" && name === active.name) {
        await presence.refresh();
        emitDashboard();
      }
      return result;
    },
    async importProfile(input: unknown) {
      const { name, ...result } = storeProfile(store, input, "overwrite");
      if (result.status !== "saved" || !name)
        throw new ProfileValidationError(result.status === "invalid" ? result.problems : [], "The profile");
      active.pin(name);
      await followChange();
      return { problems: result.problems, revision: result.revision };
    },
    async selectProfile(name: string) {
      requireStored(deps, name);
      store.setActive(name);
      if (active.pinned) active.pin(name);
      await followChange();
      return listProfiles();
    },
    async renameProfile(from: string, to: string) {
      requireIdle(from, "renamed");
      await renameStoredProfile(deps, from, to);
      if (active.pinned === from) active.pin(to);
      await followChange();
      return listProfiles();
    },
    async deleteProfile(name: string) {
      requireIdle(name, "deleted");
      await deleteStoredProfile(deps, name);
      await followChange();
      return listProfiles();
    },
    async setSecret(name: SecretName, value: string, profileName?: string) {
      // Another profile's secret only for one that is stored: a typo must not leave a secret nobody uses.
      if (profileName !== undefined && store.revision(profileName) === null)
        throw new EngineError("config", `There is no stored profile named ${JSON.stringify(profileName)}.`);
      await deps.secrets.set(profileName ?? active.secretName(), name, value);
      await presence.refresh();
      emitDashboard();
    },
  };
}
