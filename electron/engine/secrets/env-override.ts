import type { SecretName, SecretStore } from "./secret-store";

/** Environment variables that replace a stored secret, for headless use (CI, servers without a keychain). */
export const SECRET_ENV_VARS: Partial<Record<SecretName, string>> = {
  "client-secret": "PROVISIONDESK_CLIENT_SECRET",
  "scim-token": "PROVISIONDESK_SCIM_TOKEN",
  "smtp-password": "PROVISIONDESK_SMTP_PASSWORD",
};

/**
 * Reads a secret from its PROVISIONDESK_* variable when that is set (non-empty), otherwise from `inner`.
 * Writes always go to `inner`: the environment is the operator's to manage.
 */
export function withEnvOverrides(inner: SecretStore, env: NodeJS.ProcessEnv = process.env): SecretStore {
  const fromEnv = (name: SecretName): string | null => {
    const variable = SECRET_ENV_VARS[name];
    const value = variable === undefined ? undefined : env[variable];
    return value === undefined || value === "" ? null : value;
  };
  return {
    get: async (profile, name) => fromEnv(name) ?? inner.get(profile, name),
    has: async (profile, name) => fromEnv(name) !== null || inner.has(profile, name),
    set: (profile, name, value) => inner.set(profile, name, value),
    delete: (profile, name) => inner.delete(profile, name),
  };
}
