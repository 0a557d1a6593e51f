import { withEnvOverrides } from "./env-override";
import { createKeychainSecretStore } from "./keychain-store";
import type { SecretStore } from "./secret-store";

export {
  SECRET_NAMES,
  isSecretName,
  SecretStoreUnavailableError,
  type SecretName,
  type SecretStore,
} from "./secret-store";
export { createKeychainSecretStore, KEYCHAIN_SERVICE } from "./keychain-store";
export { createMemorySecretStore } from "./memory-store";
export { withEnvOverrides, SECRET_ENV_VARS } from "./env-override";

/** What the app and the CLI use: the OS keychain, with PROVISIONDESK_* environment variables taking precedence. */
export function createSystemSecretStore(env: NodeJS.ProcessEnv = process.env): SecretStore {
  return withEnvOverrides(createKeychainSecretStore(), env);
}
