import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProfileInput } from "../../shared/config/profile";
import { DEFAULT_CLIENT_SECRET, generateDirectory, startGraphEmulator } from "../emulators/graph";
import { startScimServer, type ScimFaults } from "../emulators/scim";
import { emulatorProfile } from "./emulator-profile";

export const DEMO_PROFILE = "demo";

export interface DemoTenantOptions {
  /** Holds the emulator's CA file and, when persisted, the target's SQLite file. */
  dir: string;
  profileName?: string;
  seed?: number;
  users?: number;
  groups?: number;
  ssoMethodName?: string;
  /** Keep the target in SQLite so it survives restarts (the demo); in memory otherwise (tests). */
  persistTarget?: boolean;
  /** Delay on every target request, so a test can act while a cycle is running (cancel it). */
  targetLatencyMs?: number;
  /** Faults the target starts with (tests: e.g. refuse the first create, to hold one user in escrow). */
  targetFaults?: Partial<ScimFaults>;
}

export interface DemoTenant {
  profile: ProfileInput;
  clientSecret: string;
  scimToken: string;
  scimUrl: string;
  users: number;
  summary: string;
  close(): Promise<void>;
}

/**
 * A seeded Entra tenant (Graph emulator) and a Splashtop-style target (SCIM emulator), with a profile pointing at both.
 * The seed is fixed, so object ids stay the same from one run to the next and saved links stay valid.
 */
export async function startDemoTenant(options: DemoTenantOptions): Promise<DemoTenant> {
  const {
    dir,
    profileName = DEMO_PROFILE,
    seed = 2026,
    users = 300,
    groups = 12,
    ssoMethodName = "Contoso Demo SSO",
  } = options;
  mkdirSync(dir, { recursive: true });
  const directory = generateDirectory({ seed, users, groups });
  const graph = await startGraphEmulator({ directory });
  // A fresh token each run: the demo target only lives as long as this process.
  const scimToken = randomBytes(24).toString("base64url");
  const scim = await startScimServer({
    token: scimToken,
    dbFile: options.persistTarget ? join(dir, "demo-target.sqlite") : undefined,
  });
  if (options.targetLatencyMs) scim.setFaults({ latencyMs: options.targetLatencyMs });
  if (options.targetFaults) scim.setFaults(options.targetFaults);
  // The emulator's certificate is generated at each start; it is public, so a file is fine (it is not a secret).
  const caFile = join(dir, "graph-emulator-ca.pem");
  writeFileSync(caFile, graph.caPem);

  const profile: ProfileInput = {
    ...emulatorProfile(profileName, ssoMethodName, { graph, scimUrl: scim.tenantUrl, caFile }),
    deprovision: "disable",
  };
  return {
    profile,
    clientSecret: DEFAULT_CLIENT_SECRET,
    scimToken,
    scimUrl: scim.tenantUrl,
    users: directory.users.length,
    summary: `Demo tenant: ${directory.users.length} users and ${directory.groups.length} groups at ${graph.graphBaseUrl}; demo Splashtop target at ${scim.tenantUrl}`,
    async close() {
      await Promise.all([graph.close(), scim.close()]);
    },
  };
}
