// Run controls through the engine service, against the emulators: Cancel, Restart and Retry now (issue 9).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { emulatorProfile } from "../../../electron/demo/emulator-profile";
import {
  DEFAULT_CLIENT_SECRET,
  generateDirectory,
  startGraphEmulator,
  type GraphEmulator,
} from "../../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../../electron/emulators/scim";
import { acquireCycleLock, CycleLockedError } from "../../../electron/engine/lock";
import { createMemorySecretStore } from "../../../electron/engine/secrets";
import { createEngineService, type ProvisionDeskService } from "../../../electron/engine/service";
import { ProfileSchema, type ProfileInput } from "../../../shared/config/profile";
import { actualTarget, expectedTarget, SSO } from "../cycle/harness";
import { fakeClock } from "./fake-clock";

let graph: GraphEmulator;
let scim: ScimServer;
let caFile: string;
const services: ProvisionDeskService[] = [];

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: 5, directory: generateDirectory({ seed: 5, users: 200 }) });
  scim = await startScimServer();
  caFile = join(mkdtempSync(join(tmpdir(), "pd-run-ca-")), "ca.pem");
  writeFileSync(caFile, graph.caPem);
});
afterAll(async () => {
  await graph?.close();
  await scim?.close();
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
  scim.reset();
});

async function openService(profile: Partial<ProfileInput> = {}, clock?: ReturnType<typeof fakeClock>) {
  const secrets = createMemorySecretStore();
  await secrets.set("run", "client-secret", DEFAULT_CLIENT_SECRET);
  await secrets.set("run", "scim-token", scim.token);
  const dataDir = mkdtempSync(join(tmpdir(), "pd-run-"));
  const service = createEngineService({
    dataDir,
    secrets,
    scheduled: clock !== undefined,
    clock,
  });
  services.push(service);
  const base = emulatorProfile("run", SSO, { graph, scimUrl: scim.tenantUrl, caFile });
  await service.importProfile(
    ProfileSchema.parse({
      ...base,
      ...profile,
      target: { ...base.target, requestsPerSecond: 1000, ...profile.target },
    }),
  );
  return { service, secrets, dataDir };
}

const run = (service: ProvisionDeskService) =>
  service.provisionNow({ dryRun: false, full: false, allowDeletes: false });
const userNames = () => scim.listUsers().map((u) => u.userName);

describe("cancel", () => {
  it("in the middle of a first cycle stops it; the next cycle converges exactly, without duplicates", async () => {
    const { service } = await openService({ target: { concurrency: 4 } as ProfileInput["target"] });
    scim.setFaults({ latencyMs: 15 });
    const messages: string[] = [];
    service.on("cycle.progress", (p) => {
      if (p.phase === "apply" && p.counts.applied === 20 && messages.length === 0) {
        const dashboard = service.cancel();
        messages.push(dashboard.statusMessage);
      }
    });
    const cancelled = await run(service);
    const sentBeforeClose = scim.requests.length;

    expect(cancelled.outcome).toBe("cancelled");
    expect(messages).toEqual([expect.stringContaining("Cancelling")]);
    expect(service.dashboard()).toMatchObject({ status: "warning", lastCycle: cancelled });
    expect(service.dashboard().statusMessage).toContain("cancelled");
    expect(cancelled.counts.users.create).toBeGreaterThanOrEqual(20);
    expect(cancelled.counts.users.create).toBeLessThan(expectedTarget(graph).users.length);
    expect(scim.requests.length).toBe(sentBeforeClose);

    scim.setFaults({ latencyMs: 0 });
    const next = await run(service);
    expect(next.outcome).toBe("succeeded");
    expect(next.kind).toBe("initial"); // the cancelled cycle saved no delta link
    expect(new Set(userNames()).size).toBe(userNames().length);
    expect(actualTarget(scim)).toEqual(expectedTarget(graph));
  });

  it("with no cycle running changes nothing", async () => {
    const { service } = await openService();
    expect(service.cancel()).toEqual(service.dashboard());
  });
});

describe("restart", () => {
  it("makes the next cycle a full one that re-reads everything and keeps the links: nothing is created twice", async () => {
    const { service } = await openService();
    expect((await run(service)).outcome).toBe("succeeded");
    const incremental = await run(service);
    expect(incremental.kind).toBe("incremental");

    const users = scim.listUsers().length;
    const dashboard = service.restart();
    expect(dashboard.linked.users).toBe(users);
    const full = await run(service);
    expect(full).toMatchObject({ kind: "initial", outcome: "succeeded" });
    expect(full.counts.users.create).toBe(0);
    expect(scim.listUsers()).toHaveLength(users);
    expect(actualTarget(scim)).toEqual(expectedTarget(graph));
  });

  it("is refused while a cycle holds the lock, so that cycle cannot commit delta links over it", async () => {
    const { service, dataDir } = await openService();
    expect((await run(service)).outcome).toBe("succeeded");
    const lock = acquireCycleLock(dataDir, "the provision-desk CLI");
    try {
      expect(() => service.restart()).toThrow(CycleLockedError);
    } finally {
      lock.release();
    }
    expect((await run(service)).kind).toBe("incremental");
  });
});

describe("retry now", () => {
  it("after fixing a refused token leaves quarantine at once instead of waiting for the 6-hour back-off", async () => {
    const clock = fakeClock();
    const { service, secrets } = await openService({ schedule: { intervalMinutes: 10, paused: false } }, clock);
    await secrets.set("run", "scim-token", "revoked");
    await service.refreshSecrets();
    const refused = await run(service);
    expect(refused.outcome).toBe("quarantined");
    expect(service.dashboard().nextCycleAt).toBe(new Date(clock.now() + 6 * 3_600_000).toISOString());

    await secrets.set("run", "scim-token", scim.token);
    const retried = await service.retryNow();
    expect(retried.outcome).toBe("succeeded");
    expect(service.dashboard()).toMatchObject({
      status: "idle",
      nextCycleAt: new Date(clock.now() + 10 * 60_000).toISOString(),
    });
    expect(actualTarget(scim)).toEqual(expectedTarget(graph));
  });

  it("after a restart, a quarantined profile is back on its normal schedule", async () => {
    const clock = fakeClock();
    const { service, secrets, dataDir } = await openService(
      { schedule: { intervalMinutes: 10, paused: false } },
      clock,
    );
    await secrets.set("run", "scim-token", "revoked");
    expect((await run(service)).outcome).toBe("quarantined");
    expect(service.dashboard().nextCycleAt).toBe(new Date(clock.now() + 6 * 3_600_000).toISOString());
    expect(service.restart().nextCycleAt).toBe(new Date(clock.now() + 10 * 60_000).toISOString());

    // Kept in the state database: the app started again is still out of quarantine.
    await service.close();
    const reopened = createEngineService({ dataDir, secrets, scheduled: true, clock });
    services.push(reopened);
    expect(reopened.dashboard().nextCycleAt).toBe(new Date(clock.now() + 10 * 60_000).toISOString());
  });
});
