// The compiled CLI's entry (build/bundle-cli.mjs bundles it to dist/cli/provision-desk.mjs).
import { runFromProcess } from "./main";

await runFromProcess();
