import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../electron/cli/main";
import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { DEFAULT_CLIENT_SECRET, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { tempDir, writeJson } from "./run-cli";

/** The Graph and SCIM emulators, a profile file pointing at them, and the environment that carries their secrets. */
export interface CliWorld {
  graph: GraphEmulator;
  scim: ScimServer;
  profileFile: string;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startCliWorld(options: {
  seed: number;
  profileName: string;
  ssoMethodName: string;
  dirPrefix: string;
}): Promise<CliWorld> {
  const graph = await startGraphEmulator({ seed: options.seed });
  const scim = await startScimServer();
  const dir = tempDir(options.dirPrefix);
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, graph.caPem);
  const profile = emulatorProfile(options.profileName, options.ssoMethodName, {
    graph,
    scimUrl: scim.tenantUrl,
    caFile,
  });
  return {
    graph,
    scim,
    profileFile: writeJson(dir, "profile.json", profile),
    env: { PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET, PROVISIONDESK_SCIM_TOKEN: scim.token },
    close: async () => {
      await graph.close();
      await scim.close();
    },
  };
}

/** main() in this process with injected streams and environment: the code the shim runs, without a process per call. */
export async function runMain(env: NodeJS.ProcessEnv, dataDir: string, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main({
    argv: ["--data-dir", dataDir, ...argv],
    env,
    stdin: [],
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}
