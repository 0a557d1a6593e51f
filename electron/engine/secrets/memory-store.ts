import type { SecretName, SecretStore } from "./secret-store";

/** Secrets held in this process only: the demo uses it so its made-up secrets never touch disk or the keychain. */
export function createMemorySecretStore(): SecretStore {
  const values = new Map<string, string>();
  const key = (profile: string, name: SecretName) => `${profile}/${name}`;
  return {
    get: async (profile, name) => values.get(key(profile, name)) ?? null,
    set: async (profile, name, value) => void values.set(key(profile, name), value),
    delete: async (profile, name) => values.delete(key(profile, name)),
    has: async (profile, name) => values.has(key(profile, name)),
  };
}
