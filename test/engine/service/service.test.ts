import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProfileInput } from "../../../shared/config/profile";
import { ProfileSchema } from "../../../shared/config/profile";
import type { EventName, EventOf } from "../../../shared/ipc/contract";
import { DEFAULT_CLIENT_SECRET } from "../../../electron/emulators/graph";
import { openProfileStore, PROFILES_FILE } from "../../../electron/engine/db";
import { acquireCycleLock, CycleLockedError } from "../../../electron/engine/lock";
import { createMemorySecretStore } from "../../../electron/engine/secrets";
import { EngineError, type ProvisionDeskService } from "../../../electron/engine/service";
import { fakeClock } from "./fake-clock";
import { useServiceWorld } from "./world";

const world = useServiceWorld({ seed: 3 });

const profileInput = (overrides: Partial<ProfileInput> = {}): ProfileInput => ({
  ...world.profile("svc"),
  ...overrides,
});

async function openService(
  options: { withSecrets?: boolean; scheduled?: boolean; dataDir?: string; clock?: ReturnType<typeof fakeClock> } = {},
) {
  const { withSecrets = true, ...serviceOptions } = options;
  const secrets = withSecrets ? await world.secretsFor("svc") : createMemorySecretStore();
  const { service, dataDir } = world.openService({ ...serviceOptions, secrets });
  return { service, dataDir, secrets };
}

function record<E extends EventName>(service: ProvisionDeskService, event: E): EventOf<E>[] {
  const seen: EventOf<E>[] = [];
  service.on(event, (payload) => seen.push(payload));
  return seen;
}

describe("engine service", () => {
  it("before any profile: says what to set up and refuses cycles as a configuration problem", async () => {
    const { service } = await openService();
    expect(service.dashboard()).toMatchObject({ profileName: null, status: "warning" });
    expect(service.dashboard().statusMessage).toContain("No profile");
    expect(service.connections()).toEqual({
      profile: null,
      secrets: { clientSecret: false, scimToken: false, smtpPassword: false },
    });
    await expect(service.provisionNow({ dryRun: false, full: false, allowDeletes: false })).rejects.toMatchObject({
      kind: "notConfigured",
    });
  });

  it("runs a cycle with live events, then reports status, history, links and the target's contents", async () => {
    const { service } = await openService();
    await service.importProfile(ProfileSchema.parse(profileInput()));
    const view = service.connections();
    expect(view.secrets).toEqual({ clientSecret: true, scimToken: true, smtpPassword: false });
    expect(JSON.stringify(view)).not.toContain(DEFAULT_CLIENT_SECRET);
    expect(JSON.stringify(view)).not.toContain(world.scim.token);

    const progress = record(service, "cycle.progress");
    const logs = record(service, "log.entry");
    const finished = record(service, "cycle.finished");
    const dashboards = record(service, "dashboard.changed");

    const summary = await service.provisionNow({ dryRun: false, full: false, allowDeletes: false });
    expect(summary.outcome).toBe("succeeded");
    expect(finished).toEqual([summary]);
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(["read", "scope", "apply", "commit"]));
    expect(progress.every((p) => p.cycleId === summary.id)).toBe(true);
    expect(logs.filter((entry) => entry.action === "Create" && entry.status === "Success")).toHaveLength(
      summary.counts.users.create + summary.counts.groups.create,
    );
    expect(dashboards.map((d) => d.status)).toContain("syncing");
    expect(dashboards.at(-1)?.status).toBe("idle");

    const dashboard = service.dashboard();
    expect(dashboard).toMatchObject({ status: "idle", lastCycle: summary, progress: null, intervalMinutes: 40 });
    expect(dashboard.linked.users).toBe(world.scim.listUsers().length);
    expect(service.cycles(5)).toEqual([summary]);
    expect(service.logs({ cycleId: summary.id, limit: 1000 }).entries).toHaveLength(logs.length);

    const browse = await service.browseTarget(3);
    expect(browse.users).toHaveLength(3);
    expect(browse.totalUsers).toBe(world.scim.listUsers().length);
    expect(browse.totalGroups).toBe(world.scim.listGroups().length);
  });

  it("runs the next cycle on the connections of the one before, and opens new ones once a setting changes", async () => {
    const { service, dataDir } = await openService();
    await service.importProfile(ProfileSchema.parse(profileInput()));
    const run = () => service.provisionNow({ dryRun: false, full: false, allowDeletes: false });
    expect((await run()).outcome).toBe("succeeded");
    const opened = world.graph.counters().connections;
    const requests = world.graph.counters().total;
    world.graph.admin.updateUser(world.graph.admin.listUsers()[0]!.id, { jobTitle: "Kept connections" });
    expect((await run()).outcome).toBe("succeeded");
    expect(world.graph.counters().total).toBeGreaterThan(requests);
    // The second cycle read Graph again on the connections of the first: of its three reads sent at once, none needed a
    // new TLS session (at most one follow-up read may go out before the connection of the read it follows is free).
    expect(world.graph.counters().connections - opened).toBeLessThanOrEqual(1);

    // The admin replaces the CA file (the same certificate, saved again): the next cycle connects anew with it.
    const caFile = join(dataDir, "replaced-ca.pem");
    writeFileSync(caFile, `${world.graph.caPem}\n`);
    const changed = profileInput();
    await service.importProfile(ProfileSchema.parse({ ...changed, source: { ...changed.source, caFile } }));
    expect((await run()).outcome).toBe("succeeded");
    expect(world.graph.counters().connections).toBeGreaterThan(opened + 1);
  });

  it("refuses to store a profile whose rules have an error; a stored one from an older version blocks cycles", async () => {
    const { service, dataDir } = await openService();
    const placeholder = profileInput({ target: { preset: "splashtop", tenantUrl: world.scim.tenantUrl } });
    const refused = await service.saveProfile(placeholder, null);
    expect(refused.status).toBe("invalid");
    const blocking = refused.status === "invalid" ? refused.problems.filter((p) => p.severity === "error") : [];
    expect(blocking[0]?.path).toMatch(/^rules\.users\.mappings\.\d+\.value$/);
    expect(service.listProfiles().profiles).toEqual([]);

    // An older version stored such profiles; it is kept, shown with its problems, and cycles are blocked.
    const store = openProfileStore(join(dataDir, PROFILES_FILE));
    store.put("svc", JSON.stringify(ProfileSchema.parse(placeholder)), null);
    store.close();
    expect(service.rules().problems.filter((p) => p.severity === "error")).toEqual(blocking);
    const error = await service
      .provisionNow({ dryRun: true, full: false, allowDeletes: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe("blocked");
    expect((error as EngineError).message).toContain(blocking[0]!.path);
    expect(service.dashboard().status).toBe("error");
    expect(world.scim.requests).toHaveLength(0);
  });

  it("names the missing secret and where to store it", async () => {
    const { service } = await openService({ withSecrets: false });
    await service.importProfile(ProfileSchema.parse(profileInput()));
    expect(service.dashboard().statusMessage).toContain("client secret is not set");
    await expect(service.provisionNow({ dryRun: true, full: false, allowDeletes: false })).rejects.toThrow(
      /secret set client-secret.*PROVISIONDESK_CLIENT_SECRET/,
    );
    const checks = await service.testConnection("both");
    expect(
      checks
        .filter((c) => !c.ok)
        .map((c) => c.message)
        .join(" "),
    ).toMatch(/secret set client-secret[\s\S]*secret set scim-token/);
  });

  it("pause survives a restart and stops scheduling; resume schedules the next cycle one interval out", async () => {
    const { service, dataDir, secrets } = await openService({ scheduled: true });
    await service.importProfile(ProfileSchema.parse(profileInput({ schedule: { intervalMinutes: 15 } })));
    const next = Date.parse(service.dashboard().nextCycleAt!);
    expect(next - Date.now()).toBeGreaterThan(14 * 60_000);

    const paused = service.setPaused(true);
    expect(paused).toMatchObject({ status: "paused", nextCycleAt: null });
    await world.closeService(service);

    const { service: reopened } = world.openService({ dataDir, secrets, scheduled: true });
    expect(reopened.dashboard()).toMatchObject({ status: "paused", nextCycleAt: null });
    expect(reopened.setPaused(false).nextCycleAt).not.toBeNull();
  });

  it("refuses to start while another process holds the cycle lock and says who holds it", async () => {
    const { service, dataDir } = await openService();
    await service.importProfile(ProfileSchema.parse(profileInput()));
    const lock = acquireCycleLock(dataDir, "the ProvisionDesk app");
    try {
      const error = await service
        .provisionNow({ dryRun: false, full: false, allowDeletes: false })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CycleLockedError);
      expect(service.dashboard()).toMatchObject({ status: "error" });
      expect(service.dashboard().statusMessage).toContain("the ProvisionDesk app");
    } finally {
      lock.release();
    }
    expect((await service.provisionNow({ dryRun: true, full: false, allowDeletes: false })).outcome).toBe("succeeded");
    expect(service.dashboard().status).toBe("idle");
  });

  it("testConnection checks the token, each Graph permission and the target", async () => {
    const { service } = await openService();
    await service.importProfile(ProfileSchema.parse(profileInput()));
    const checks = await service.testConnection("both");
    expect(checks.every((check) => check.ok)).toBe(true);
    expect(checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(["Sign in to Entra ID", "Read users (User.Read.All)"]),
    );
    expect((await service.testConnection("target")).length).toBeLessThan(checks.length);
  });

  it("runs scheduled cycles on the admin's interval and backs off to 6 hours once credentials are rejected", async () => {
    const clock = fakeClock();
    const { service, secrets } = await openService({ scheduled: true, clock });
    await service.importProfile(ProfileSchema.parse(profileInput({ schedule: { intervalMinutes: 10 } })));
    expect(service.dashboard().nextCycleAt).toBe(new Date(clock.now() + 10 * 60_000).toISOString());
    const finished = record(service, "cycle.finished");
    const next = () => new Promise<void>((resolve) => service.on("cycle.finished", () => setImmediate(resolve)));

    let done = next();
    clock.advance(10 * 60_000);
    await done;
    expect(finished.map((c) => c.outcome)).toEqual(["succeeded"]);
    expect(service.dashboard().nextCycleAt).toBe(new Date(clock.now() + 10 * 60_000).toISOString());

    await secrets.set("svc", "scim-token", "revoked");
    // A cycle with nothing to send makes no target request; a change in Entra makes this one meet the refused token.
    const provisioned = world.graph.admin.getUser(world.scim.listUsers()[0]!.userName)!;
    world.graph.admin.updateUser(provisioned.id, { displayName: `${provisioned.displayName} (renamed)` });
    done = next();
    clock.advance(10 * 60_000);
    await done;
    expect(finished.map((c) => c.outcome)).toEqual(["succeeded", "quarantined"]);
    expect(service.dashboard()).toMatchObject({
      status: "error",
      nextCycleAt: new Date(clock.now() + 6 * 3_600_000).toISOString(),
    });
    expect(service.dashboard().statusMessage).toContain("rejected the token");
  });
});
