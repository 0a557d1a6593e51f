// Run controls through the engine service, against the emulators: Cancel, Restart and Retry now (issue 9).
import { describe, expect, it } from "vitest";
import { generateDirectory } from "../../../electron/emulators/graph";
import { acquireCycleLock, CycleLockedError } from "../../../electron/engine/lock";
import type { ProvisionDeskService } from "../../../electron/engine/service";
import { ProfileSchema, type ProfileInput } from "../../../shared/config/profile";
import { actualTarget, expectedTarget, SSO } from "../cycle/harness";
import { fakeClock } from "./fake-clock";
import { useServiceWorld } from "./world";

const world = useServiceWorld({ seed: 5, directory: generateDirectory({ seed: 5, users: 200 }) });

async function openService(profile: Partial<ProfileInput> = {}, clock?: ReturnType<typeof fakeClock>) {
  const secrets = await world.secretsFor("run");
  const { service, dataDir } = world.openService({ secrets, scheduled: clock !== undefined, clock });
  const base = world.profile("run", SSO);
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
const userNames = () => world.scim.listUsers().map((u) => u.userName);

describe("cancel", () => {
  it("in the middle of a first cycle stops it; the next cycle converges exactly, without duplicates", async () => {
    const { service } = await openService({ target: { concurrency: 4 } as ProfileInput["target"] });
    world.scim.setFaults({ latencyMs: 15 });
    const messages: string[] = [];
    service.on("cycle.progress", (p) => {
      if (p.phase === "apply" && p.counts.applied === 20 && messages.length === 0) {
        const dashboard = service.cancel();
        messages.push(dashboard.statusMessage);
      }
    });
    const cancelled = await run(service);
    const sentBeforeClose = world.scim.requests.length;

    expect(cancelled.outcome).toBe("cancelled");
    expect(messages).toEqual([expect.stringContaining("Cancelling")]);
    expect(service.dashboard()).toMatchObject({ status: "warning", lastCycle: cancelled });
    expect(service.dashboard().statusMessage).toContain("cancelled");
    expect(cancelled.counts.users.create).toBeGreaterThanOrEqual(20);
    expect(cancelled.counts.users.create).toBeLessThan(expectedTarget(world.graph).users.length);
    expect(world.scim.requests.length).toBe(sentBeforeClose);

    world.scim.setFaults({ latencyMs: 0 });
    const next = await run(service);
    expect(next.outcome).toBe("succeeded");
    expect(next.kind).toBe("initial"); // the cancelled cycle saved no delta link
    expect(new Set(userNames()).size).toBe(userNames().length);
    expect(actualTarget(world.scim)).toEqual(expectedTarget(world.graph));
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

    const users = world.scim.listUsers().length;
    const dashboard = service.restart();
    expect(dashboard.linked.users).toBe(users);
    const full = await run(service);
    expect(full).toMatchObject({ kind: "initial", outcome: "succeeded" });
    expect(full.counts.users.create).toBe(0);
    expect(world.scim.listUsers()).toHaveLength(users);
    expect(actualTarget(world.scim)).toEqual(expectedTarget(world.graph));
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

    await secrets.set("run", "scim-token", world.scim.token);
    const retried = await service.retryNow();
    expect(retried.outcome).toBe("succeeded");
    expect(service.dashboard()).toMatchObject({
      status: "idle",
      nextCycleAt: new Date(clock.now() + 10 * 60_000).toISOString(),
    });
    expect(actualTarget(world.scim)).toEqual(expectedTarget(world.graph));
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
    await world.closeService(service);
    const { service: reopened } = world.openService({ dataDir, secrets, scheduled: true, clock });
    expect(reopened.dashboard().nextCycleAt).toBe(new Date(clock.now() + 10 * 60_000).toISOString());
  });
});
