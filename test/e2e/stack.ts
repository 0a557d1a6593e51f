// The whole app for one Playwright run, in its own process (run with tsx): a seeded Entra tenant (Graph emulator),
// a Splashtop-style SCIM target, the REAL engine service in a fresh temp data dir, and browser mode in front of it.
// Prints one JSON line {url, ...} when ready; SIGTERM stops everything and deletes the data dir.
// E2E_NO_PROFILE=1: the data dir holds no profile and no secret (a fresh install); the JSON line then carries what an
// admin would copy from the Entra admin center and the target's admin page to set it up.
// E2E_IN_SCOPE_USERS=N: the profile provisions all users (scope "all"), and the tenant has exactly N enabled ones,
// so a first cycle creates exactly N users (the acceptance's 261-user first cycle).
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProfileSchema } from "../../shared/config/profile";
import { startDemoTenant } from "../../electron/demo/demo-tenant";
import { generateDirectory } from "../../electron/emulators/graph";
import { createMemorySecretStore } from "../../electron/engine/secrets";
import { createEngineService } from "../../electron/engine/service";
import { startBrowserServer } from "../../electron/server";

const PROFILE = "e2e";
const SEED = 42;
const GROUPS = 4;
const fresh = process.env.E2E_NO_PROFILE === "1";
const inScopeWanted = process.env.E2E_IN_SCOPE_USERS ? Number(process.env.E2E_IN_SCOPE_USERS) : null;

const enabledUsers = (users: number) =>
  generateDirectory({ seed: SEED, users, groups: GROUPS }).users.filter((u) => u.accountEnabled).length;
/** The smallest tenant of this seed with `wanted` enabled users (a few percent of generated users are disabled). */
function tenantSizeFor(wanted: number): number {
  let users = wanted;
  while (enabledUsers(users) < wanted) users++;
  if (enabledUsers(users) !== wanted) throw new Error(`No tenant of seed ${SEED} has exactly ${wanted} enabled users.`);
  return users;
}
const USERS = inScopeWanted === null ? 24 : tenantSizeFor(inScopeWanted);
const dataDir = mkdtempSync(join(tmpdir(), "pd-e2e-"));
const tenant = await startDemoTenant({
  dir: dataDir,
  profileName: PROFILE,
  seed: SEED,
  users: USERS,
  groups: GROUPS,
  ssoMethodName: "Contoso E2E SSO",
  // E2E_TARGET_LATENCY_MS: a slow target, so a running cycle can be cancelled from the window.
  targetLatencyMs: Number(process.env.E2E_TARGET_LATENCY_MS ?? 0),
  // E2E_TARGET_FAULTS: JSON of SCIM emulator faults, e.g. the first create refused (an object held in escrow).
  ...(process.env.E2E_TARGET_FAULTS ? { targetFaults: JSON.parse(process.env.E2E_TARGET_FAULTS) as object } : {}),
});

const secrets = createMemorySecretStore();
const service = createEngineService({
  dataDir,
  secrets,
  ...(fresh ? {} : { profileName: PROFILE }),
  scheduled: false,
  owner: "the e2e test",
});
if (!fresh) {
  await secrets.set(PROFILE, "client-secret", tenant.clientSecret);
  // E2E_WRONG_SCIM_TOKEN=1: the admin pasted a token the target refuses (the error paths of the UI).
  await secrets.set(
    PROFILE,
    "scim-token",
    process.env.E2E_WRONG_SCIM_TOKEN === "1" ? "a-token-the-target-refuses" : tenant.scimToken,
  );
  const profile = ProfileSchema.parse(tenant.profile);
  await service.importProfile(
    inScopeWanted === null ? profile : { ...profile, source: { ...profile.source, scope: "all" as const } },
  );
  await service.refreshSecrets();
}

// The same seed gives the same tenant: a user neither assigned to the app nor in an assigned group.
const directory = generateDirectory({ seed: SEED, users: USERS, groups: GROUPS });
const assigned = new Set(
  directory.assignments.flatMap((a) =>
    a.principalType === "User"
      ? [a.principalId]
      : (directory.groups.find((g) => g.id === a.principalId)?.members ?? []),
  ),
);
const unassigned = directory.users.find((u) => u.accountEnabled && !assigned.has(u.id));
const inScope = directory.users.find(
  (u) => u.accountEnabled && assigned.has(u.id) && u.userType === "Member" && u.givenName && u.surname,
);

const server = await startBrowserServer({ service, staticDir: "dist/renderer" });
const source = ProfileSchema.parse(tenant.profile).source;
process.stdout.write(
  `${JSON.stringify({
    url: server.url,
    dataDir,
    scimUrl: tenant.scimUrl,
    scimToken: tenant.scimToken,
    users: tenant.users,
    clientSecret: tenant.clientSecret,
    source: {
      tenantId: source.tenantId,
      clientId: source.clientId,
      appId: source.appId,
      cloud: source.cloud,
      caFile: source.caFile,
    },
    unassignedUser: unassigned?.userPrincipalName ?? null,
    assignedUser: inScope
      ? { userPrincipalName: inScope.userPrincipalName, givenName: inScope.givenName, surname: inScope.surname }
      : null,
  })}\n`,
);

await Promise.race([once(process, "SIGTERM"), once(process, "SIGINT")]);
await server.close();
await service.close();
await tenant.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
