import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProfileInput } from "../../shared/config/profile";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, generateDirectory, startGraphEmulator } from "../emulators/graph";
import { startScimServer } from "../emulators/scim";

export const DEMO_PROFILE = "demo";
export const DEMO_SSO_METHOD = "Contoso Demo SSO";

export interface DemoTenant {
  profile: ProfileInput;
  clientSecret: string;
  scimToken: string;
  summary: string;
  close(): Promise<void>;
}

/**
 * A seeded Entra tenant (Graph emulator) and a Splashtop-style target (SCIM emulator, kept in SQLite so it survives
 * restarts). The seed is fixed, so object ids stay the same from one run to the next and the saved links stay valid.
 */
export async function startDemoTenant(dir: string): Promise<DemoTenant> {
  mkdirSync(dir, { recursive: true });
  const directory = generateDirectory({ seed: 2026, users: 300, groups: 12 });
  const graph = await startGraphEmulator({ directory });
  // A fresh token each run: the demo target only lives as long as this process.
  const scimToken = randomBytes(24).toString("base64url");
  const scim = await startScimServer({ token: scimToken, dbFile: join(dir, "demo-target.sqlite") });
  // The emulator's certificate is generated at each start; it is public, so a file is fine (it is not a secret).
  const caFile = join(dir, "graph-emulator-ca.pem");
  writeFileSync(caFile, graph.caPem);

  const profile: ProfileInput = {
    name: DEMO_PROFILE,
    source: {
      tenantId: graph.tenantId,
      clientId: DEFAULT_CLIENT_ID,
      appId: graph.appId,
      scope: "assigned",
      cloud: { authorityHost: graph.authorityHost, graphBaseUrl: graph.graphBaseUrl },
      caFile,
    },
    target: { preset: "splashtop", tenantUrl: scim.tenantUrl, ssoMethodName: DEMO_SSO_METHOD },
    deprovision: "disable",
  };
  return {
    profile,
    clientSecret: DEFAULT_CLIENT_SECRET,
    scimToken,
    summary: `Demo tenant: ${directory.users.length} users and ${directory.groups.length} groups at ${graph.graphBaseUrl}; demo Splashtop target at ${scim.tenantUrl}`,
    async close() {
      await Promise.all([graph.close(), scim.close()]);
    },
  };
}
