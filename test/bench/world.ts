// One benchmark world: fresh Graph and SCIM emulators and a ProvisionDesk engine service on a temp data dir,
// with the request counts each cycle caused on both sides.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, generateDirectory, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer, type ScimServerOptions } from "../../electron/emulators/scim";
import { createMemorySecretStore } from "../../electron/engine/secrets";
import { createEngineService, type ProvisionDeskService } from "../../electron/engine/service";
import { ProfileSchema } from "../../shared/config/profile";
import type { CycleSummary } from "../../shared/ipc/model";

export const PROFILE = "bench";
/** The profile's ceiling: high enough that the engine, not its pacer, sets the pace on loopback. */
export const REQUESTS_PER_SECOND = 1000;
export const CONCURRENCY = 4;

export interface WorldConfig {
  users: number;
  seed: number;
  /** Entra's request pattern: the target cannot be listed and memberships go one member per PATCH. */
  entraStyle: boolean;
}

/** What one cycle cost, from the emulators' own request recorders. */
export interface CycleMeasure {
  summary: CycleSummary;
  wallMs: number;
  objects: number;
  graph: number;
  target: { total: number; writes: number; lookups: number; otherReads: number };
}

export interface BenchWorld {
  graphEmu: GraphEmulator;
  scimSrv: ScimServer;
  cycle(): Promise<CycleMeasure>;
  close(): Promise<void>;
}

/** Users, groups and memberships a cycle created, changed, disabled or deleted. */
export function objectsTouched(s: CycleSummary): number {
  const n = (c: CycleSummary["counts"]["users"]) => c.create + c.update + c.disable + c.delete;
  return n(s.counts.users) + n(s.counts.groups) + s.counts.memberships.added + s.counts.memberships.removed;
}

export async function startBenchWorld(config: WorldConfig): Promise<BenchWorld> {
  const directory = generateDirectory({ seed: config.seed, users: config.users });
  const graphEmu = await startGraphEmulator({ directory, seed: config.seed });
  const scimOptions: ScimServerOptions = { maxRecordedRequests: Number.MAX_SAFE_INTEGER, ...(config.entraStyle ? { requireFilter: true, bulkMaxOperations: 1 } : {}) };
  const scimSrv = await startScimServer(scimOptions);
  const dataDir = mkdtempSync(join(tmpdir(), "pd-bench-"));
  const caFile = join(dataDir, "graph-ca.pem");
  writeFileSync(caFile, graphEmu.caPem);

  const secrets = createMemorySecretStore();
  await secrets.set(PROFILE, "client-secret", DEFAULT_CLIENT_SECRET);
  await secrets.set(PROFILE, "scim-token", scimSrv.token);
  const service: ProvisionDeskService = createEngineService({ dataDir: join(dataDir, "data"), secrets, scheduled: false });
  const { problems } = await service.importProfile(ProfileSchema.parse({
    name: PROFILE,
    source: {
      tenantId: graphEmu.tenantId, clientId: DEFAULT_CLIENT_ID, appId: graphEmu.appId, scope: "all",
      cloud: { authorityHost: graphEmu.authorityHost, graphBaseUrl: graphEmu.graphBaseUrl }, caFile,
    },
    target: {
      preset: "splashtop", tenantUrl: scimSrv.tenantUrl, ssoMethodName: "Contoso SSO",
      requestsPerSecond: REQUESTS_PER_SECOND, concurrency: CONCURRENCY, ...(config.entraStyle ? { membershipBatchSize: 1 } : {}),
    },
    // A first cycle into an empty target deletes nothing; the edits below never unassign anyone.
    safety: { deletionThreshold: 500, canaryFraction: 0.5 },
  }));
  const blocking = problems.filter((p) => p.severity === "error");
  if (blocking.length > 0) throw new Error(`The benchmark profile has rule errors: ${blocking.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  await service.refreshSecrets();

  return {
    graphEmu,
    scimSrv,
    async cycle() {
      const graphMark = graphEmu.requests.length;
      const targetMark = scimSrv.requests.length;
      const started = performance.now();
      const summary = await service.provisionNow({ dryRun: false, full: false, allowDeletes: false });
      const wallMs = performance.now() - started;
      if (summary.outcome !== "succeeded") throw new Error(`A benchmark cycle ended "${summary.outcome}": ${summary.error ?? "see the failed objects in its log"}`);
      const sent = scimSrv.requests.slice(targetMark);
      const gets = sent.filter((r) => r.method === "GET");
      const lookups = gets.filter((r) => r.query.filter !== undefined).length;
      return {
        summary,
        wallMs,
        objects: objectsTouched(summary),
        graph: graphEmu.requests.length - graphMark,
        target: { total: sent.length, writes: sent.length - gets.length, lookups, otherReads: gets.length - lookups },
      };
    },
    async close() {
      await service.close();
      await Promise.all([graphEmu.close(), scimSrv.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
