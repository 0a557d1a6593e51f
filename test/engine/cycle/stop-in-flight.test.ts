// A cycle that stops early (a token refused mid-apply, the admin's cancel, a safety gate) closes only once every
// request it sent has been answered, sends nothing after that, and leaves a state the next cycle converges from
// without duplicates.
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { runCycle } from "../../../electron/engine/cycle";
import { stopWhenCancelled } from "../../../electron/engine/cycle/cancel";
import { getCycle, getDeltaLink, listLogEntries, loadEscrow } from "../../../electron/engine/db";
import { createHttpClient, type HttpClient } from "../../../electron/engine/http";
import { createScimClient } from "../../../electron/engine/target";
import { actualTarget, expectedTarget, startWorld, type World } from "./harness";

let w: World | undefined;
const clients: HttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await w?.close();
  w = undefined;
});

/** The admin revokes the SCIM token in the target after `allowed` requests: from then on the target answers 401. */
function revokedAfter(http: HttpClient, allowed: number): HttpClient {
  let sent = 0;
  return {
    request: (req) =>
      http.request(
        ++sent > allowed ? { ...req, headers: { ...req.headers, authorization: "Bearer revoked-by-the-admin" } } : req,
      ),
    get stats() {
      return http.stats;
    },
    close: () => http.close(),
  };
}

const scimClient = (world: World, http: HttpClient) =>
  createScimClient({
    tenantUrl: world.scimSrv.tenantUrl,
    token: world.scimSrv.token,
    dialect: "entra",
    preset: "splashtop",
    http,
  });

/** Nothing reaches the target after the cycle closed: the recorder's count does not move while we wait. */
async function expectNothingAfterClose(world: World, closedWith: number) {
  await sleep(400);
  expect(world.scimSrv.requests.length).toBe(closedWith);
  // ... and every request the cycle sent was answered before it closed (none cut off).
  expect(world.scimSrv.requests.filter((r) => r.status === 0)).toEqual([]);
}

describe("a token refused in the middle of apply", () => {
  it("stops scheduling requests, waits for those in flight, and only then closes the cycle", async () => {
    w = await startWorld({ users: 150, seed: 21, profile: { target: { concurrency: 8 } } });
    // Paced requests with slow answers: when the first 401 comes back, seven more creates are on their way.
    w.scimSrv.setFaults({ latencyMs: 30 });
    const http = createHttpClient({ concurrency: 8, requestsPerSecond: 40 });
    clients.push(http);
    const result = await runCycle(
      { db: w.db, profile: w.profile, rules: w.rules, graph: w.graph, scim: scimClient(w, revokedAfter(http, 30)) },
      { dryRun: false, full: false, allowDeletes: false },
    );
    const closedWith = w.scimSrv.requests.length;

    expect(result.failure?.kind).toBe("auth");
    expect(result.summary.outcome).toBe("quarantined");
    expect(getCycle(w.db, result.summary.id)).toEqual(result.summary);
    const refused = w.scimSrv.requests.filter((r) => r.status === 401).length;
    // At most the requests already in flight when the first 401 arrived were refused, not the rest of the plan.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThanOrEqual(8);
    await expectNothingAfterClose(w, closedWith);
    // Nothing escrowed for a refused token, and no delta link saved: the next cycle reads the same changes.
    expect(loadEscrow(w.db, w.profile.name).size).toBe(0);
    expect(getDeltaLink(w.db, w.profile.name, "users")).toBeUndefined();

    // Every create the target confirmed was recorded before the close: the next cycle converges, no duplicates.
    w.scimSrv.setFaults({ latencyMs: 0 });
    const next = await w.run();
    expect(next.summary.outcome).toBe("succeeded");
    expect(actualTarget(w.scimSrv)).toEqual(expectedTarget(w.graphEmu));
  });
});

describe("a token refused during the lookups of an incremental cycle", () => {
  it("ends the cycle only after the lookups in flight are answered", async () => {
    w = await startWorld({ users: 60, seed: 23, profile: { target: { concurrency: 8 } } });
    expect((await w.run()).summary.outcome).toBe("succeeded");
    for (let i = 0; i < 24; i++) {
      const u = w.graphEmu.admin.addUser({ displayName: `New Person ${i}`, mailNickname: `new.person.${i}` });
      w.graphEmu.admin.assign(u.id);
    }
    w.scimSrv.setFaults({ latencyMs: 30 });
    const http = createHttpClient({ concurrency: 8, requestsPerSecond: 40 });
    clients.push(http);
    const result = await runCycle(
      { db: w.db, profile: w.profile, rules: w.rules, graph: w.graph, scim: scimClient(w, revokedAfter(http, 5)) },
      { dryRun: false, full: false, allowDeletes: false },
    );
    const closedWith = w.scimSrv.requests.length;
    expect(result.summary).toMatchObject({ kind: "incremental", outcome: "quarantined" });
    expect(result.failure?.kind).toBe("auth");
    await expectNothingAfterClose(w, closedWith);
    expect(loadEscrow(w.db, w.profile.name).size).toBe(0);
  });
});

describe("cancel", () => {
  it("in the middle of a first cycle: in-flight requests finish, nothing further is sent, the next cycle converges", async () => {
    w = await startWorld({ users: 150, seed: 22, profile: { target: { concurrency: 8 } } });
    w.scimSrv.setFaults({ latencyMs: 20 });
    const cancel = new AbortController();
    const http = createHttpClient({ concurrency: 8 });
    clients.push(http);
    const world = w;
    const progress: { applied: number; toApply: number }[] = [];
    const result = await runCycle(
      {
        db: w.db,
        profile: w.profile,
        rules: w.rules,
        graph: w.graph,
        scim: scimClient(w, stopWhenCancelled(http, cancel.signal)),
        signal: cancel.signal,
        onProgress: (p) => {
          if (p.phase !== "apply") return;
          progress.push({ applied: p.counts.applied, toApply: p.counts.toApply });
          if (p.counts.applied === 25) cancel.abort();
        },
      },
      { dryRun: false, full: false, allowDeletes: false },
    );
    const closedWith = world.scimSrv.requests.length;

    expect(result.summary.outcome).toBe("cancelled");
    expect(result.failure).toBeNull();
    expect(result.quarantine).toBeNull();
    expect(getCycle(world.db, result.summary.id)?.outcome).toBe("cancelled");
    const created = result.summary.counts.users.create;
    expect(created).toBeGreaterThanOrEqual(25);
    expect(created).toBeLessThan(25 + 8 + 1);
    expect(world.scimSrv.listUsers()).toHaveLength(created);
    await expectNothingAfterClose(world, closedWith);
    // Not one failure or escrow for the objects that were not started, and the delta links did not move.
    expect(listLogEntries(world.db, world.profile.name, { cycleId: result.summary.id, limit: 1000 })).toHaveLength(
      created,
    );
    expect(loadEscrow(world.db, world.profile.name).size).toBe(0);
    expect(getDeltaLink(world.db, world.profile.name, "users")).toBeUndefined();

    world.scimSrv.setFaults({ latencyMs: 0 });
    const next = await world.run();
    expect(next.summary.outcome).toBe("succeeded");
    expect(next.summary.counts.users.create).toBe(expectedTarget(world.graphEmu).users.length - created);
    expect(actualTarget(world.scimSrv)).toEqual(expectedTarget(world.graphEmu));
    // The counts were real: "applied of total" climbed one by one towards the planned total.
    expect(progress[0]).toEqual({ applied: 0, toApply: progress[0]!.toApply });
    expect(progress[0]!.toApply).toBeGreaterThanOrEqual(expectedTarget(world.graphEmu).users.length);
    expect(progress.at(-1)!.applied).toBe(result.summary.counts.users.create);
  });
});

describe("a cycle stopped at the deletion threshold after reading changes", () => {
  it("closes only once the target has answered the configuration the cycle asked for while planning", async () => {
    w = await startWorld({ users: 120, seed: 13, profile: { safety: { deletionThreshold: 2, canaryFraction: 0.1 } } });
    expect((await w.run()).summary.outcome).toBe("succeeded");
    const inTarget = new Set(w.scimSrv.listUsers().map((u) => u.userName));
    const provisioned = w.graphEmu.admin
      .listUsers()
      .filter((u) => u.accountEnabled && inTarget.has(u.userPrincipalName));
    for (const u of provisioned.slice(0, 3)) w.graphEmu.admin.purgeUser(u.id);
    w.scimSrv.setFaults({ latencyMs: 200 });
    const http = createHttpClient({ concurrency: 4 });
    clients.push(http);
    const mark = w.scimSrv.requests.length;
    // A new client, as after a restart: it has not read the target's configuration yet.
    const stopped = await runCycle(
      { db: w.db, profile: w.profile, rules: w.rules, graph: w.graph, scim: scimClient(w, http) },
      { dryRun: false, full: false, allowDeletes: false },
    );
    expect(stopped.summary.outcome).toBe("stoppedByDeletionThreshold");
    expect(w.scimSrv.requests.slice(mark).map((r) => r.path)).toEqual(["/ServiceProviderConfig"]);
    await expectNothingAfterClose(w, w.scimSrv.requests.length);
  });
});
