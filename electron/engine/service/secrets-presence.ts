import type { Profile } from "../../../shared/config/profile";
import type { SecretStore } from "../secrets/secret-store";

/** Whether the profile's secrets are stored, for connections() and the status, without reading them. */
export function createSecretsPresence(deps: {
  secrets: SecretStore;
  secretName: () => string;
  warn: (message: string) => void;
}) {
  const NO_SECRETS = { clientSecret: false, scimToken: false, smtpPassword: false };
  let present = NO_SECRETS;
  let storeProblem: string | null = null;
  return {
    get present() {
      return present;
    },
    /** Never throws: an unusable keychain is reported by the status (and by the action that needs a secret). */
    async refresh(): Promise<void> {
      const name = deps.secretName();
      try {
        const [clientSecret, scimToken, smtpPassword] = await Promise.all([
          deps.secrets.has(name, "client-secret"),
          deps.secrets.has(name, "scim-token"),
          deps.secrets.has(name, "smtp-password"),
        ]);
        present = { clientSecret, scimToken, smtpPassword };
        storeProblem = null;
      } catch (error) {
        present = NO_SECRETS;
        storeProblem = error instanceof Error ? error.message : String(error);
        deps.warn(`Could not check the stored secrets: ${storeProblem}`);
      }
    },
    /** Why no cycle can run for want of a secret, in words; null when both are there. */
    blocker(profile: Profile | null): string | null {
      if (!profile) return null;
      if (storeProblem) return storeProblem;
      if (profile.source.credential.type === "secret" && !present.clientSecret) {
        return "The Entra client secret is not set: add it under Connections (or provision-desk secret set client-secret).";
      }
      if (!present.scimToken)
        return "The target's SCIM token is not set: add it under Connections (or provision-desk secret set scim-token).";
      return null;
    },
  };
}
export type SecretsPresence = ReturnType<typeof createSecretsPresence>;
