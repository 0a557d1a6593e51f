// Bundles the CLI into one plain-JS file for the installed `provision-desk` command: no TypeScript compiler at runtime.
// Every library is inlined except the native modules, which are installed as the package's dependencies.
import { chmodSync } from "node:fs";
import { build } from "esbuild";
import { runtimeExternals } from "./runtime-externals.mjs";

const outfile = "dist/cli/provision-desk.mjs";
await build({
  entryPoints: ["electron/cli/provision-desk.ts"],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  external: runtimeExternals(["better-sqlite3", "@napi-rs/keyring"]),
  // Inlined CommonJS libraries call require() for Node's built-ins; an ES module has none of its own.
  banner: {
    js: [
      "#!/usr/bin/env node",
      'import { createRequire as __pdCreateRequire } from "node:module";',
      "const require = __pdCreateRequire(import.meta.url);",
    ].join("\n"),
  },
  logLevel: "warning",
});
chmodSync(outfile, 0o755);
