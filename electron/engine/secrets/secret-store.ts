import type { SecretName } from "../../../shared/config/profile";

export type { SecretName };
export const SECRET_NAMES: readonly SecretName[] = ["client-secret", "scim-token", "smtp-password"];

export const isSecretName = (name: string): name is SecretName => (SECRET_NAMES as readonly string[]).includes(name);

/** Where a profile's secrets live. Async because the OS keychain is. */
export interface SecretStore {
  get(profile: string, name: SecretName): Promise<string | null>;
  set(profile: string, name: SecretName, value: string): Promise<void>;
  /** Returns whether a secret was there to delete. */
  delete(profile: string, name: SecretName): Promise<boolean>;
  has(profile: string, name: SecretName): Promise<boolean>;
}

/** The secret storage could not be used at all (as opposed to a secret simply being absent). */
export class SecretStoreUnavailableError extends Error {
  override readonly name = "SecretStoreUnavailableError";
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}
