import { afterEach, describe, expect, it } from "vitest";
import { restartProvisioning, runCycle } from "../../../electron/engine/cycle";
import { getCycle, getPlan, listLogEntries, loadEscrow } from "../../../electron/engine/db";
import { createHttpClient } from "../../../electron/engine/http";
import { createScimClient } from "../../../electron/engine/target";
import { actualTarget, expectedScope, expectedTarget, startWorld, targetWrites, type World } from "./harness";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** Enabled users the first cycle created. */
const provisionedUsers = (world: World) =>
  [...expectedScope(world.graphEmu).userIds]
    .map((id) => world.graphEmu.admin.getUser(id)!)
    .filter((u) => u.accountEnabled);

describe("deletion threshold", () => {
  it("above the threshold nothing is disabled or deleted, held actions show as StagedDelete; allowDeletes lets them through once", async () => {
    w = await startWorld({ users: 120, seed: 13, profile: { safety: { deletionThreshold: 2, canaryFraction: 0.1 } } });
    expect((await w.run()).summary.outcome).toBe("succeeded");
    const victims = provisionedUsers(w).slice(0, 3);
    for (const u of victims) w.graphEmu.admin.purgeUser(u.id);

    let mark = w.scimSrv.requests.length;
    const stopped = await w.run();
    expect(stopped.summary.outcome).toBe("stoppedByDeletionThreshold");
    expect(stopped.summary.error).toMatch(/3 users and groups.*threshold of 2.*Review held deletions.*--allow-deletes/);
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    expect(stopped.summary.counts.users.stagedDelete).toBe(3);
    const staged = listLogEntries(w.db, w.profile.name, { cycleId: stopped.summary.id, limit: 100 }).filter(
      (e) => e.action === "StagedDelete",
    );
    expect(staged.map((e) => e.displayName).sort()).toEqual(victims.map((u) => u.displayName).sort());

    // Still held on the next cycle: the changes were not committed.
    mark = w.scimSrv.requests.length;
    expect((await w.run()).summary.outcome).toBe("stoppedByDeletionThreshold");
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);

    mark = w.scimSrv.requests.length;
    const allowed = await w.run({ allowDeletes: true });
    expect(allowed.summary.outcome).toBe("succeeded");
    expect(allowed.summary.counts.users.delete).toBe(3);
    expect(targetWrites(w.scimSrv, mark).filter((r) => r.method === "DELETE")).toHaveLength(3);
    for (const u of victims)
      expect(w.scimSrv.listUsers().find((t) => t.userName === u.userPrincipalName)).toBeUndefined();

    // Once only: the next cycle is normal and has nothing to do.
    mark = w.scimSrv.requests.length;
    expect((await w.run()).summary.outcome).toBe("succeeded");
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
  });
});

describe("deletion threshold on a full read", () => {
  it("stops before any write, and the stored plan lists what the cycle would also have created", async () => {
    w = await startWorld({ users: 120, seed: 13, profile: { safety: { deletionThreshold: 2, canaryFraction: 0.1 } } });
    expect((await w.run()).summary.outcome).toBe("succeeded");
    const victims = provisionedUsers(w).slice(0, 3);
    for (const u of victims) w.graphEmu.admin.purgeUser(u.id);
    const inTarget = new Set(w.scimSrv.listUsers().map((u) => u.userName));
    const newcomer = w.graphEmu.admin.listUsers().find((u) => u.accountEnabled && !inTarget.has(u.userPrincipalName))!;
    w.graphEmu.admin.assign(newcomer.id);
    // A full read (restart): the users are streamed through the staging table, the linked ones planned first.
    restartProvisioning(w.db, w.profile.name);

    const mark = w.scimSrv.requests.length;
    const stopped = await w.run();
    expect(stopped.summary.kind).toBe("initial");
    expect(stopped.summary.outcome).toBe("stoppedByDeletionThreshold");
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    const items = getPlan(w.db, w.profile.name, stopped.planId!)!.items;
    // Graph's full read cannot tell a purge from a soft delete: the users it no longer lists are to be disabled.
    expect(
      items
        .filter((i) => i.kind === "heldDelete")
        .map((i) => i.sourceId)
        .sort(),
    ).toEqual(victims.map((u) => u.id).sort());
    expect(items.filter((i) => i.kind === "create").map((i) => i.sourceId)).toEqual([newcomer.id]);

    const allowed = await w.run({ allowDeletes: true });
    expect(allowed.summary.outcome).toBe("succeeded");
    expect(allowed.summary.counts.users).toMatchObject({ create: 1, disable: 3 });
    expect(w.scimSrv.listUsers().find((t) => t.userName === newcomer.userPrincipalName)?.active).toBe(true);
  });
});

describe("canary", () => {
  it("stops with nothing written when the source suddenly returns far fewer in-scope objects", async () => {
    w = await startWorld({ users: 120, seed: 13 });
    expect((await w.run()).summary.outcome).toBe("succeeded");
    const before = actualTarget(w.scimSrv);
    for (const g of expectedScope(w.graphEmu).groupIds) w.graphEmu.admin.unassign(g);

    const mark = w.scimSrv.requests.length;
    const stopped = await w.run();
    expect(stopped.summary.outcome).toBe("stoppedByCanary");
    expect(stopped.summary.error).toMatch(/down from \d+ last cycle/);
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    expect(actualTarget(w.scimSrv)).toEqual(before);

    const allowed = await w.run({ allowDeletes: true });
    expect(allowed.summary.outcome).toBe("succeeded");
    expect(allowed.summary.counts.users.disable).toBeGreaterThan(0);
    expect(w.scimSrv.listGroups()).toEqual([]);
  });
});

describe("throttling and outages", () => {
  it("429 storms and 503 bursts on both sides still end with the exact target", async () => {
    w = await startWorld({ users: 120, seed: 17 });
    w.graphEmu.admin.setThrottling({ status: 429, fraction: 0.3, retryAfter: "0.01" });
    w.scimSrv.setFaults({ throttleRate: 0.3, retryAfterSeconds: 0, errorNext: 4, errorStatus: 503 });
    const first = await w.run();
    expect(first.summary.error).toBeNull();
    expect(first.summary.outcome).toBe("succeeded");
    expect(actualTarget(w.scimSrv)).toEqual(expectedTarget(w.graphEmu));
    expect(w.graphEmu.counters().throttled).toBeGreaterThan(0);
    expect(w.scimSrv.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(w.scimSrv.requests.filter((r) => r.status === 503)).toHaveLength(4);

    // Changes under a 503 burst on Graph and throttling on the target.
    w.graphEmu.admin.setThrottling({ status: 503, count: 3, retryAfter: "0.01" });
    const [a, b] = provisionedUsers(w);
    w.graphEmu.admin.updateUser(a!.id, { displayName: "Renamed Under Load" });
    w.graphEmu.admin.disableUser(b!.id);
    const second = await w.run();
    expect(second.summary.error).toBeNull();
    expect(second.summary.counts.users).toMatchObject({ update: 1, disable: 1, failed: 0 });
    const users = w.scimSrv.listUsers();
    expect(users.find((u) => u.userName === a!.userPrincipalName)?.displayName).toBe("Renamed Under Load");
    expect(users.find((u) => u.userName === b!.userPrincipalName)?.active).toBe(false);
    expect(new Set(users.map((u) => u.userName)).size).toBe(users.length);
  });
});

describe("bad credentials", () => {
  it("a rejected token ends the cycle with what to do, instead of failing every object", async () => {
    w = await startWorld({ users: 120, seed: 13 });
    await w.run();
    for (const u of provisionedUsers(w).slice(0, 5))
      w.graphEmu.admin.updateUser(u.id, { jobTitle: "x", displayName: `${u.displayName} II` });
    const http = createHttpClient({ concurrency: 1 });
    const scim = createScimClient({
      tenantUrl: w.scimSrv.tenantUrl,
      token: "revoked",
      dialect: "entra",
      preset: "splashtop",
      http,
    });
    const { summary, failure, quarantine } = await runCycle(
      { db: w.db, profile: w.profile, rules: w.rules, graph: w.graph, scim },
      { dryRun: false, full: false, allowDeletes: false },
    );
    await http.close();
    // The cycle itself decides and records it once: a refused credential is an auth failure and quarantines.
    expect(failure?.kind).toBe("auth");
    expect(quarantine).toBe("the credentials were rejected");
    expect(summary.outcome).toBe("quarantined");
    expect(getCycle(w.db, summary.id)).toEqual(summary);
    expect(summary.error).toMatch(/rejected the token \(401\).*Connections → Target/);
    expect(summary.requests.target).toBe(1);
    expect(listLogEntries(w.db, w.profile.name, { cycleId: summary.id, limit: 100 })).toEqual([]);
    // The changes were not committed: the next cycle with the right token applies them.
    const next = await w.run();
    expect(next.summary.counts.users.update).toBe(5);
  });
});

describe("object failures", () => {
  it("a failed object is logged with code, message and recommendation, escrowed, and retried next cycle", async () => {
    w = await startWorld({ users: 120, seed: 13 });
    await w.run();
    const [u] = provisionedUsers(w);
    w.graphEmu.admin.updateUser(u!.id, { displayName: "Will Fail Once" });
    w.scimSrv.setFaults({ errorNext: 1, errorStatus: 500 });
    const failed = await w.run();
    expect(failed.summary.outcome).toBe("completedWithFailures");
    expect(failed.summary.counts.users.failed).toBe(1);
    const [entry] = listLogEntries(w.db, w.profile.name, { cycleId: failed.summary.id, limit: 10 });
    expect(entry).toMatchObject({ action: "Update", status: "Failure", errorCode: "ServerError", sourceId: u!.id });
    expect(entry!.message).toMatch(/internal error \(500\)/);
    expect(entry!.recommendation).toMatch(/retried in a later cycle/);
    expect(loadEscrow(w.db, w.profile.name).get(`user:${u!.id}`)?.attempts).toBe(1);

    const retried = await w.run();
    expect(retried.summary.outcome).toBe("succeeded");
    expect(retried.summary.counts.users.update).toBe(1);
    expect(w.scimSrv.listUsers().find((t) => t.userName === u!.userPrincipalName)?.displayName).toBe("Will Fail Once");
    expect(loadEscrow(w.db, w.profile.name).size).toBe(0);
  });
});
