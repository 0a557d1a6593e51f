// `npm start`: the app on the admin's own data folder and keychain.
import { once } from "node:events";
import { defaultDataDir } from "../cli/data-dir";
import { createSystemSecretStore } from "../engine/secrets";
import { launchApp } from "./launch";

const log = (line: string) => process.stdout.write(`${line}\n`);
const app = await launchApp({
  dataDir: defaultDataDir(process.env),
  profileName: process.env.PROVISIONDESK_PROFILE,
  secrets: createSystemSecretStore(),
  log,
});
await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]);
await app.close();
