// Bundles the Electron main process and preload for electron-builder. Native modules (better-sqlite3,
// @napi-rs/keyring) stay external: electron-builder's install-app-deps rebuilds them for Electron's ABI.
import { build } from "esbuild";
import { runtimeExternals } from "./runtime-externals.mjs";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  external: runtimeExternals(["better-sqlite3", "@napi-rs/keyring", "electron-log"], ["electron"]),
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: ["electron/main/main.ts"],
  outfile: "dist/electron/main/main.js",
  format: "esm",
});
// Sandboxed preloads must be CommonJS.
await build({
  ...common,
  entryPoints: ["electron/main/preload.ts"],
  outfile: "dist/electron/main/preload.cjs",
  format: "cjs",
});
