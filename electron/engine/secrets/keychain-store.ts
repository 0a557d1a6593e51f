import { AsyncEntry } from "@napi-rs/keyring";
import { SecretStoreUnavailableError, type SecretName, type SecretStore } from "./secret-store";

export const KEYCHAIN_SERVICE = "ProvisionDesk";

function adminAdvice(platform: NodeJS.Platform): string {
  switch (platform) {
    case "linux":
      return (
        "Install a Secret Service provider (for example gnome-keyring with libsecret) and unlock the login keyring, " +
        "or, for headless use, set PROVISIONDESK_CLIENT_SECRET and PROVISIONDESK_SCIM_TOKEN in the environment instead."
      );
    case "darwin":
      return "Unlock the login keychain (Keychain Access) and allow ProvisionDesk to use it, or set the PROVISIONDESK_* environment variables.";
    default:
      return "Make sure Windows Credential Manager is available for this user, or set the PROVISIONDESK_* environment variables.";
  }
}

/** Secrets in the OS keychain: service "ProvisionDesk", account "<profile>/<name>". */
export function createKeychainSecretStore(platform: NodeJS.Platform = process.platform): SecretStore {
  const entry = (profile: string, name: SecretName) => new AsyncEntry(KEYCHAIN_SERVICE, `${profile}/${name}`);
  // Every keyring failure here means the storage itself is unusable (absent, locked, access denied): say so and how to fix it.
  const guard = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new SecretStoreUnavailableError(
        `Could not ${action} the OS keychain (${detail.split(":")[0]}). ${adminAdvice(platform)}`,
        detail,
      );
    }
  };
  return {
    get: (profile, name) => guard("read from", () => entry(profile, name).getPassword()),
    set: (profile, name, value) => guard("write to", () => entry(profile, name).setPassword(value)),
    delete: (profile, name) => guard("delete from", () => entry(profile, name).deleteCredential()),
    has: async (profile, name) => (await guard("read from", () => entry(profile, name).getPassword())) !== null,
  };
}
