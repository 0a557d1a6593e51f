// `npm run demo`: the app on a built-in demo tenant and demo Splashtop target. `--fresh` starts over.
import { once } from "node:events";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { ProfileSchema } from "../../shared/config/profile";
import { createEngineService } from "../engine/service";
import { createMemorySecretStore } from "../engine/secrets";
import { launchApp } from "../launch/launch";
import { projectRoot } from "../launch/renderer-build";
import { DEMO_PROFILE, startDemoTenant } from "./demo-tenant";

const log = (line: string) => process.stdout.write(`${line}\n`);
const dataDir = process.env.PROVISIONDESK_DEMO_DIR ?? join(projectRoot, ".provision-desk-data", "demo");
if (process.argv.includes("--fresh")) rmSync(dataDir, { recursive: true, force: true });

const tenant = await startDemoTenant({ dir: dataDir, persistTarget: true });
log(tenant.summary);

// Demo secrets stay in memory (and in the Electron child's environment), never on disk.
const secrets = createMemorySecretStore();
await secrets.set(DEMO_PROFILE, "client-secret", tenant.clientSecret);
await secrets.set(DEMO_PROFILE, "scim-token", tenant.scimToken);
const setup = createEngineService({ dataDir, secrets, profileName: DEMO_PROFILE, scheduled: false });
await setup.importProfile(ProfileSchema.parse(tenant.profile));
await setup.close();

const app = await launchApp({
  dataDir,
  profileName: DEMO_PROFILE,
  secrets,
  secretEnv: { PROVISIONDESK_CLIENT_SECRET: tenant.clientSecret, PROVISIONDESK_SCIM_TOKEN: tenant.scimToken },
  port: process.env.PORT ? Number(process.env.PORT) : undefined,
  log,
});
log("Press Provision Now on the Dashboard, watch the Log, then check the result under Target. Ctrl+C stops the demo.");
await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]);
await app.close();
await tenant.close();
