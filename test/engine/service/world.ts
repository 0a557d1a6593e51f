import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import { emulatorProfile } from "../../../electron/demo/emulator-profile";
import {
  DEFAULT_CLIENT_SECRET,
  startGraphEmulator,
  type GraphEmulator,
  type GraphEmulatorOptions,
} from "../../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../../electron/emulators/scim";
import { createMemorySecretStore, type SecretStore } from "../../../electron/engine/secrets";
import {
  createEngineService,
  type EngineServiceOptions,
  type ProvisionDeskService,
} from "../../../electron/engine/service";
import type { ProfileInput } from "../../../shared/config/profile";

/** The Graph and SCIM emulators for the file's tests, and the engine services opened on them. */
export interface ServiceWorld {
  readonly graph: GraphEmulator;
  readonly scim: ScimServer;
  readonly caFile: string;
  /** The emulator profile `name`, pointing at both emulators. */
  profile(name: string, ssoMethodName?: string): ProfileInput;
  /** A memory secret store holding the emulators' client secret and SCIM token for profile `name`. */
  secretsFor(name: string): Promise<SecretStore>;
  /** A real engine service on a new data folder (unless given), closed after the test. */
  openService(options: Omit<EngineServiceOptions, "dataDir"> & { dataDir?: string }): {
    service: ProvisionDeskService;
    dataDir: string;
  };
  /** Closes a service before the test ends, as a restart of the app does. */
  closeService(service: ProvisionDeskService): Promise<void>;
}

/**
 * Starts the emulators before the file's tests and stops them after; after each test closes the services it opened
 * and clears the SCIM server, so every test starts from an empty target.
 */
export function useServiceWorld(graphOptions: GraphEmulatorOptions): ServiceWorld {
  let graph: GraphEmulator | undefined;
  let scim: ScimServer | undefined;
  let caFile = "";
  const services: ProvisionDeskService[] = [];
  beforeAll(async () => {
    graph = await startGraphEmulator(graphOptions);
    scim = await startScimServer();
    caFile = join(mkdtempSync(join(tmpdir(), "pd-world-ca-")), "ca.pem");
    writeFileSync(caFile, graph.caPem);
  });
  afterAll(async () => {
    await graph?.close();
    await scim?.close();
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.close()));
    scim?.reset();
  });
  const world: ServiceWorld = {
    get graph() {
      if (!graph) throw new Error("the Graph emulator starts in beforeAll");
      return graph;
    },
    get scim() {
      if (!scim) throw new Error("the SCIM server starts in beforeAll");
      return scim;
    },
    get caFile() {
      return caFile;
    },
    profile: (name, ssoMethodName = "Contoso SSO") =>
      emulatorProfile(name, ssoMethodName, { graph: world.graph, scimUrl: world.scim.tenantUrl, caFile }),
    async secretsFor(name) {
      const secrets = createMemorySecretStore();
      await secrets.set(name, "client-secret", DEFAULT_CLIENT_SECRET);
      await secrets.set(name, "scim-token", world.scim.token);
      return secrets;
    },
    openService(options) {
      const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "pd-world-"));
      const service = createEngineService({ ...options, dataDir, scheduled: options.scheduled ?? false });
      services.push(service);
      return { service, dataDir };
    },
    async closeService(service) {
      services.splice(services.indexOf(service), 1);
      await service.close();
    },
  };
  return world;
}
