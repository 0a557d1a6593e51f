import { emulatorProfile } from "../../../electron/demo/emulator-profile";
import Database from "better-sqlite3";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_SECRET, startGraphEmulator, type GraphEmulator } from "../../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../../electron/emulators/scim";
import { acquireCycleLock } from "../../../electron/engine/lock";
import { createMemorySecretStore } from "../../../electron/engine/secrets";
import { createEngineService, DATABASE_FILE, type ProvisionDeskService } from "../../../electron/engine/service";
import { ProfileSchema, type ProfileInput } from "../../../shared/config/profile";

// A cycle that fails or stops before touching objects still answers "why" in the log, with an entry of its own.
let graph: GraphEmulator;
let scim: ScimServer;
let caFile: string;
const services: ProvisionDeskService[] = [];

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: 4 });
  scim = await startScimServer();
  caFile = join(mkdtempSync(join(tmpdir(), "pd-entries-ca-")), "ca.pem");
  writeFileSync(caFile, graph.caPem);
});
afterAll(async () => {
  await graph?.close();
  await scim?.close();
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  scim.reset();
});

async function open(options: { clientSecret?: string; scimToken?: string; profile?: Partial<ProfileInput> } = {}) {
  const secrets = createMemorySecretStore();
  await secrets.set("entries", "client-secret", options.clientSecret ?? DEFAULT_CLIENT_SECRET);
  await secrets.set("entries", "scim-token", options.scimToken ?? scim.token);
  const dataDir = mkdtempSync(join(tmpdir(), "pd-entries-"));
  const service = createEngineService({ dataDir, secrets, scheduled: false });
  services.push(service);
  await service.importProfile(
    ProfileSchema.parse({
      ...emulatorProfile("entries", "Contoso SSO", { graph, scimUrl: scim.tenantUrl, caFile }),
      ...options.profile,
    }),
  );
  return { service, dataDir };
}

const run = (service: ProvisionDeskService) =>
  service.provisionNow({ dryRun: false, full: false, allowDeletes: false });
const cycleEntries = (service: ProvisionDeskService) => service.logs({ objectType: ["cycle"], limit: 50 }).entries;

describe("cycle entries", () => {
  it("refused Entra credentials: the AADSTS code and Entra's trace and correlation ids", async () => {
    const { service } = await open({ clientSecret: "not-the-secret" });
    const summary = await run(service);
    expect(summary.outcome).toBe("quarantined");
    const [entry] = cycleEntries(service);
    expect(entry).toMatchObject({ cycleId: summary.id, status: "Failure", errorCode: "AADSTS7000215" });
    expect(entry!.requestIds).toEqual([
      expect.stringMatching(/^trace-id [0-9a-f-]{36} \(Entra ID\)$/),
      expect.stringMatching(/^correlation-id [0-9a-f-]{36} \(Entra ID\)$/),
    ]);
    expect(entry!.recommendation).toBeTruthy();
  });

  it("a refused SCIM token: the target's error code and the client-request-id of the refused request", async () => {
    const { service } = await open({ scimToken: "revoked-token" });
    const summary = await run(service);
    const [entry] = cycleEntries(service);
    expect(entry).toMatchObject({ cycleId: summary.id, status: "Failure", errorCode: "Unauthorized" });
    expect(entry!.requestIds).toEqual([expect.stringMatching(/^client-request-id [0-9a-f-]{36}$/)]);
  });

  it("a cycle lock held by another process: a failed cycle whose entry names the holder", async () => {
    const { service, dataDir } = await open();
    const lock = acquireCycleLock(dataDir, "the nightly task");
    try {
      await expect(run(service)).rejects.toThrow(/Another sync cycle is running/);
    } finally {
      lock.release();
    }
    const [entry] = cycleEntries(service);
    expect(entry).toMatchObject({ errorCode: "CycleLocked", status: "Failure" });
    expect(entry!.message).toMatch(/^The cycle did not start: .*the nightly task/);
  });

  it("a safety gate stop: one entry for the cycle besides the held deletions", async () => {
    const { service } = await open({ profile: { safety: { deletionThreshold: 1 } } });
    expect((await run(service)).outcome).toBe("succeeded");
    const assigned = graph.admin.listAssignments().filter((a) => a.principalType === "User");
    for (const a of assigned.slice(0, 2)) graph.admin.disableUser(a.principalId);
    const stopped = await run(service);
    expect(stopped.outcome).toBe("stoppedByDeletionThreshold");
    const [entry] = cycleEntries(service);
    expect(entry).toMatchObject({ cycleId: stopped.id, status: "Skipped", errorCode: "DeletionThresholdExceeded" });
    expect(service.logs({ cycleId: stopped.id, action: ["StagedDelete"], limit: 50 }).total).toBe(2);
    for (const a of assigned.slice(0, 2)) graph.admin.enableUser(a.principalId);
  });

  it("retention: entries and cycles older than log.retentionDays go at the end of the next cycle", async () => {
    const { service, dataDir } = await open({ profile: { log: { retentionDays: 7 } } });
    const first = await run(service);
    // Age the first cycle by ten days, as if the app had been running since.
    const raw = new Database(join(dataDir, DATABASE_FILE));
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    raw.prepare("UPDATE cycles SET started_at = ? WHERE id = ?").run(old, first.id);
    raw.prepare("UPDATE log_entries SET at = ? WHERE cycle_id = ?").run(old, first.id);
    raw.close();
    expect(service.logs({ cycleId: first.id, limit: 1 }).total).toBeGreaterThan(0);
    const second = await run(service);
    expect(service.logs({ cycleId: first.id, limit: 1 }).total).toBe(0);
    expect(service.cycles(10).map((c) => c.id)).toEqual([second.id]);
  });
});
