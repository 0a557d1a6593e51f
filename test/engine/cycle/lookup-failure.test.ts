import { afterEach, describe, expect, it } from "vitest";
import { runCycle } from "../../../electron/engine/cycle";
import { getCycle, listLogEntries, loadEscrow } from "../../../electron/engine/db";
import { createHttpClient } from "../../../electron/engine/http";
import { createScimClient } from "../../../electron/engine/target";
import { startWorld, type World } from "./harness";

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** A provisioned world plus three newly assigned users: an incremental cycle looks each one up with a filtered GET. */
async function worldWithNewUsers() {
  // Concurrency 1: lookups run one after the other, so a fault hits exactly one object's lookup.
  const world = await startWorld({ users: 60, seed: 21, profile: { target: { concurrency: 1 } } });
  expect((await world.run()).summary.outcome).toBe("succeeded");
  const added = ["Ada Lookup", "Bo Lookup", "Cy Lookup"].map((displayName) => {
    const u = world.graphEmu.admin.addUser({ displayName, mailNickname: displayName.toLowerCase().replace(" ", ".") });
    world.graphEmu.admin.assign(u.id);
    return u;
  });
  return { world, added };
}

describe("a failed target lookup", () => {
  it.each([
    { status: 500 as const, answers: 1, code: "ServerError" },
    { status: 503 as const, answers: 9, code: "ServiceUnavailable" }, // the first answer and all 8 retries
  ])(
    "($status) fails that object only: logged, escrowed, the others provisioned, retried next cycle",
    async ({ status, answers, code }) => {
      const { world, added } = await worldWithNewUsers();
      w = world;
      const inTarget = (upn: string) => w!.scimSrv.listUsers().some((t) => t.userName === upn);
      w.scimSrv.setFaults({ errorNext: answers, errorStatus: status });

      const failed = await w.run();
      expect(failed.summary.kind).toBe("incremental");
      expect(failed.summary.error).toBeNull();
      expect(failed.summary.outcome).toBe("completedWithFailures");
      expect(failed.summary.counts.users).toMatchObject({ create: 2, failed: 1 });
      expect(
        w.scimSrv.requests.filter((r) => r.status === status && r.method === "GET" && r.query.filter),
      ).toHaveLength(answers);

      const failures = listLogEntries(w.db, w.profile.name, { cycleId: failed.summary.id, limit: 100 }).filter(
        (e) => e.status === "Failure",
      );
      expect(failures).toHaveLength(1);
      const entry = failures[0]!;
      expect(entry).toMatchObject({ objectType: "user", errorCode: code });
      expect(entry.message).toMatch(new RegExp(`internal error \\(${status}\\) while trying to look up a user`));
      expect(entry.recommendation).toMatch(/retried in a later cycle/);
      const victim = added.find((u) => u.id === entry.sourceId)!;
      expect(victim).toBeDefined();
      expect(loadEscrow(w.db, w.profile.name).get(`user:${victim.id}`)?.attempts).toBe(1);
      expect(inTarget(victim.userPrincipalName)).toBe(false);
      for (const u of added.filter((a) => a !== victim)) expect(inTarget(u.userPrincipalName)).toBe(true);

      // The delta link moved on, yet the escrowed user is planned again from the mirror and created.
      const retried = await w.run();
      expect(retried.summary.outcome).toBe("succeeded");
      expect(retried.summary.counts.users).toMatchObject({ create: 1, failed: 0 });
      expect(inTarget(victim.userPrincipalName)).toBe(true);
      expect(loadEscrow(w.db, w.profile.name).size).toBe(0);
    },
  );

  it("with a rejected token still ends the cycle at once, leaving nothing escrowed", async () => {
    const { world, added } = await worldWithNewUsers();
    w = world;
    const http = createHttpClient({ concurrency: 1 });
    const mark = w.scimSrv.requests.length;
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
    expect(summary.error).toMatch(/rejected the token \(401\)/);
    expect(summary.requests.target).toBe(1);
    // That one request is the configuration, asked for as soon as the read met a change: the lookups never went out.
    expect(w.scimSrv.requests.slice(mark).map((r) => r.path)).toEqual(["/ServiceProviderConfig"]);
    expect(loadEscrow(w.db, w.profile.name).size).toBe(0);

    // Not committed: the next cycle with the right token sees the same changes and creates the users.
    const next = await w.run();
    expect(next.summary.counts.users.create).toBe(added.length);
  });
});
