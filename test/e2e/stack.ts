// The whole app for one Playwright run, in its own process (run with tsx): a seeded Entra tenant (Graph emulator),
// a Splashtop-style SCIM target, the REAL engine service in a fresh temp data dir, and browser mode in front of it.
// Prints one JSON line {url, ...} when ready; SIGTERM stops everything and deletes the data dir.
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProfileSchema } from "../../shared/config/profile";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, generateDirectory, startGraphEmulator } from "../../electron/emulators/graph";
import { startScimServer } from "../../electron/emulators/scim";
import { createMemorySecretStore } from "../../electron/engine/secrets";
import { createEngineService } from "../../electron/engine/service";
import { startBrowserServer } from "../../electron/server";

const PROFILE = "e2e";
const dataDir = mkdtempSync(join(tmpdir(), "pd-e2e-"));
const directory = generateDirectory({ seed: 42, users: 24, groups: 4 });
const graph = await startGraphEmulator({ directory });
const scimToken = "e2e-scim-token-0123456789";
const scim = await startScimServer({ token: scimToken });
const caFile = join(dataDir, "graph-ca.pem");
writeFileSync(caFile, graph.caPem);

const secrets = createMemorySecretStore();
await secrets.set(PROFILE, "client-secret", DEFAULT_CLIENT_SECRET);
// E2E_WRONG_SCIM_TOKEN=1: the admin pasted a token the target refuses (the error paths of the UI).
await secrets.set(PROFILE, "scim-token", process.env.E2E_WRONG_SCIM_TOKEN === "1" ? "a-token-the-target-refuses" : scimToken);
const service = createEngineService({ dataDir, secrets, profileName: PROFILE, scheduled: false, owner: "the e2e test" });
service.importProfile(
  ProfileSchema.parse({
    name: PROFILE,
    source: {
      tenantId: graph.tenantId,
      clientId: DEFAULT_CLIENT_ID,
      appId: graph.appId,
      scope: "assigned",
      cloud: { authorityHost: graph.authorityHost, graphBaseUrl: graph.graphBaseUrl },
      caFile,
    },
    target: { preset: "splashtop", tenantUrl: scim.tenantUrl, ssoMethodName: "Contoso E2E SSO" },
  }),
);
await service.refreshSecrets();
const server = await startBrowserServer({ service, staticDir: "dist/renderer" });
process.stdout.write(`${JSON.stringify({ url: server.url, dataDir, scimUrl: scim.tenantUrl, scimToken, users: directory.users.length })}\n`);

await Promise.race([once(process, "SIGTERM"), once(process, "SIGINT")]);
await server.close();
await service.close();
await Promise.all([graph.close(), scim.close()]);
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
