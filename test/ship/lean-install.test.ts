// The CLI as an admin installs it: `npm pack`, then a global install of the tarball without dev dependencies into a
// temporary prefix, then the installed command against the emulators (started here from the source tree). It must
// work without tsx (not installed, never resolved) and without the emulators' and tests' packages.
// The install is slow (a real npm install; better-sqlite3 is compiled when no prebuilt binary can be downloaded), so
// it runs only with `npm run test:ship` (PROVISIONDESK_LEAN_INSTALL_TEST=1); the production-tree check runs always.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { DEFAULT_CLIENT_SECRET, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { tempDir, writeJson } from "../cli/run-cli";

const ROOT = join(import.meta.dirname, "../..");
/** Packages only the emulators, the demo, the renderer build or the tests use: none may be a production dependency. */
const DEV_ONLY = [
  "tsx",
  "scimmy",
  "scimmy-routers",
  "express",
  "selfsigned",
  "jose",
  "smtp-server",
  "mailparser",
  "better-auth",
  "vitest",
  "vite",
  "@playwright/test",
  "react",
  "react-dom",
  "typescript",
  "esbuild",
  "electron",
];

const npm = (args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync("npm", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** Package names in `npm ls --parseable` output (one node_modules path a line). */
const packageNames = (parseable: string) =>
  parseable
    .split("\n")
    .filter((line) => line.includes("node_modules"))
    .map((line) => line.slice(line.lastIndexOf("node_modules/") + "node_modules/".length));

const timings: Record<string, number> = {};
const timed = <T>(name: string, work: () => T): T => {
  const start = Date.now();
  try {
    return work();
  } finally {
    timings[name] = Date.now() - start;
  }
};

const enabled = process.env.PROVISIONDESK_LEAN_INSTALL_TEST === "1";
let graph: GraphEmulator;
let scim: ScimServer;
let prefix: string;
let bin: string;
let work: string;

beforeAll(async () => {
  if (!enabled) return;
  work = tempDir("pd-lean-");
  prefix = join(work, "prefix");
  timed("build", () => npm(["run", "build"], ROOT));
  const tarball = timed("pack", () => npm(["pack", "--pack-destination", work, "--json"], ROOT));
  const [{ filename }] = JSON.parse(tarball) as [{ filename: string }];
  // GitHub may be out of reach (no prebuilt better-sqlite3): node-gyp then builds it against this Node's own headers.
  const nodeDir = join(dirname(process.execPath), "..");
  const env = existsSync(join(nodeDir, "include", "node"))
    ? { ...process.env, npm_config_nodedir: nodeDir }
    : process.env;
  timed("install", () =>
    npm(
      ["install", "-g", join(work, filename), "--omit=dev", "--prefix", prefix, "--no-audit", "--no-fund"],
      work,
      env,
    ),
  );
  bin = join(prefix, "bin", "provision-desk");
  graph = await startGraphEmulator({ seed: 3 });
  scim = await startScimServer();
}, 600_000);
afterAll(async () => {
  await graph?.close();
  await scim?.close();
  if (enabled) console.log(`lean install timings (ms): ${JSON.stringify(timings)}`);
});

// Fast, so it runs in every `npm test`: the production tree of the checkout itself.
it("the checkout's production tree has no emulator or test package either", () => {
  const names = packageNames(npm(["ls", "--omit=dev", "--all", "--parseable"], ROOT));
  expect(names).toContain("@napi-rs/keyring");
  expect(names.filter((name) => DEV_ONLY.includes(name))).toEqual([]);
});

describe.skipIf(!enabled)("the packed CLI installed without dev dependencies", () => {
  const installed = () => join(prefix, "lib", "node_modules", "provision-desk");

  it("holds the compiled CLI and no dev-only package", () => {
    expect(existsSync(join(installed(), "dist", "cli", "provision-desk.mjs"))).toBe(true);
    expect(existsSync(join(installed(), "electron"))).toBe(false); // no TypeScript sources
    const names = packageNames(npm(["ls", "--omit=dev", "--all", "--parseable"], installed()));
    expect(names).toContain("better-sqlite3");
    expect(names.filter((name) => DEV_ONLY.includes(name))).toEqual([]);
    expect(readdirSync(join(installed(), "node_modules"))).not.toContain("tsx");
  });

  it("runs --help, config import, sync --json, status and logs --format csv, never resolving tsx", async () => {
    const data = join(work, "data");
    const caFile = join(work, "graph-ca.pem");
    writeFileSync(caFile, graph.caPem);
    const profile = writeJson(
      work,
      "profile.json",
      emulatorProfile("lean", "Contoso Entra SSO", { graph, scimUrl: scim.tenantUrl, caFile }),
    );
    // Every module the installed CLI resolves, through a loader hook, to prove tsx is never among them.
    const resolvedLog = join(work, "resolved.log");
    writeFileSync(
      join(work, "hooks.mjs"),
      'import { appendFileSync } from "node:fs";\n' +
        "export async function resolve(specifier, context, next) {\n" +
        "  const result = await next(specifier, context);\n" +
        "  appendFileSync(process.env.PD_RESOLVED_LOG, `${result.url}\\n`);\n" +
        "  return result;\n}\n",
    );
    writeFileSync(
      join(work, "register.mjs"),
      'import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n',
    );
    const env = {
      ...process.env,
      NODE_OPTIONS: `--import=${join(work, "register.mjs")}`,
      PD_RESOLVED_LOG: resolvedLog,
      PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
      PROVISIONDESK_SCIM_TOKEN: scim.token,
    };
    // Asynchronous: the emulators answer from this process, so it must not block while the CLI runs.
    const cli = async (...args: string[]) => {
      const child = spawn(bin, ["--data-dir", data, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, "close")) as [number | null];
      expect(code, `${args.join(" ")}: ${stderr}`).toBe(0);
      return stdout;
    };

    expect(await cli("--help")).toContain("Usage: provision-desk");
    await cli("config", "import", profile);
    const cycle = JSON.parse(await cli("sync", "--json")) as { outcome: string; counts: { users: { create: number } } };
    expect(cycle.outcome).toBe("succeeded");
    expect(cycle.counts.users.create).toBeGreaterThan(0);
    expect(scim.listUsers().length).toBe(cycle.counts.users.create);
    expect((JSON.parse(await cli("status", "--json")) as { status: string }).status).toBe("idle");
    const csv = (await cli("logs", "--format", "csv")).trim().split("\n");
    expect(csv.length).toBeGreaterThan(cycle.counts.users.create); // a header and a row per entry

    const resolved = readFileSync(resolvedLog, "utf8");
    expect(resolved).toContain("/dist/cli/provision-desk.mjs"); // the hook saw the CLI load
    expect(resolved).toContain("/node_modules/better-sqlite3/");
    expect(resolved).not.toMatch(/\/tsx\//);
  });
});
