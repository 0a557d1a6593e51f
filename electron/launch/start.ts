// `npm start`: the app on the admin's own data folder and keychain.
import { once } from "node:events";
import { resolveDataDir } from "../cli/data-dir";
import { createSystemSecretStore } from "../engine/secrets";
import { launchApp } from "./launch";

const log = (line: string) => process.stdout.write(`${line}\n`);
const { dir: dataDir, notice } = resolveDataDir(process.env);
if (notice) log(notice);
const app = await launchApp({
  dataDir,
  profileName: process.env.PROVISIONDESK_PROFILE,
  secrets: createSystemSecretStore(),
  log,
});
await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]);
await app.close();
