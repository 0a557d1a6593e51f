// The whole app for one Playwright run, in its own process (run with tsx): a seeded Entra tenant (Graph emulator),
// a Splashtop-style SCIM target, the REAL engine service in a fresh temp data dir, and browser mode in front of it.
// Prints one JSON line {url, ...} when ready; SIGTERM stops everything and deletes the data dir.
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProfileSchema } from "../../shared/config/profile";
import { startDemoTenant } from "../../electron/demo/demo-tenant";
import { createMemorySecretStore } from "../../electron/engine/secrets";
import { createEngineService } from "../../electron/engine/service";
import { startBrowserServer } from "../../electron/server";

const PROFILE = "e2e";
const dataDir = mkdtempSync(join(tmpdir(), "pd-e2e-"));
const tenant = await startDemoTenant({
  dir: dataDir,
  profileName: PROFILE,
  seed: 42,
  users: 24,
  groups: 4,
  ssoMethodName: "Contoso E2E SSO",
  // E2E_TARGET_LATENCY_MS: a slow target, so a running cycle can be cancelled from the window.
  targetLatencyMs: Number(process.env.E2E_TARGET_LATENCY_MS ?? 0),
});

const secrets = createMemorySecretStore();
await secrets.set(PROFILE, "client-secret", tenant.clientSecret);
// E2E_WRONG_SCIM_TOKEN=1: the admin pasted a token the target refuses (the error paths of the UI).
await secrets.set(
  PROFILE,
  "scim-token",
  process.env.E2E_WRONG_SCIM_TOKEN === "1" ? "a-token-the-target-refuses" : tenant.scimToken,
);
const service = createEngineService({
  dataDir,
  secrets,
  profileName: PROFILE,
  scheduled: false,
  owner: "the e2e test",
});
await service.importProfile(ProfileSchema.parse(tenant.profile));
await service.refreshSecrets();
const server = await startBrowserServer({ service, staticDir: "dist/renderer" });
process.stdout.write(
  `${JSON.stringify({ url: server.url, dataDir, scimUrl: tenant.scimUrl, scimToken: tenant.scimToken, users: tenant.users })}\n`,
);

await Promise.race([once(process, "SIGTERM"), once(process, "SIGINT")]);
await server.close();
await service.close();
await tenant.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
