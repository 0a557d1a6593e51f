import type { Profile } from "../../../shared/config/profile";
import type { SecretStore } from "../secrets/secret-store";

/** Whether the profile's secrets are stored, for connections() and the status, without reading them. */
export function createSecretsPresence(deps: {
  secrets: SecretStore;
  secretName: () => string;
  warn: (message: string) => void;
}) {
  let present = { clientSecret: false, scimToken: false };
  let storeProblem: string | null = null;
  return {
    get present() {
      return present;
    },
    /** Never throws: an unusable keychain is reported by the status (and by the action that needs a secret). */
    async refresh(): Promise<void> {
      const name = deps.secretName();
      try {
        const [clientSecret, scimToken] = await Promise.all([
          deps.secrets.has(name, "client-secret"),
          deps.secrets.has(name, "scim-token"),
        ]);
        present = { clientSecret, scimToken };
        storeProblem = null;
      } catch (error) {
        present = { clientSecret: false, scimToken: false };
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
