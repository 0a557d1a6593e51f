import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCycle } from "../../../electron/engine/cycle";
import { getLink, linkCounts, listCycles, openDatabase } from "../../../electron/engine/db";
import { createHttpClient } from "../../../electron/engine/http";
import type { HttpClient } from "../../../electron/engine/http";
import { createScimClient } from "../../../electron/engine/target";
import { actualTarget, expectedScope, expectedTarget, startWorld, type World } from "./harness";

/**
 * An HTTP client that "kills the process" after its Nth target request: that request reaches the target, but the
 * answer is never seen, the state database is closed at that instant (nothing more can be written, as after SIGKILL),
 * and every other request in flight or still to come fails.
 */
function killSwitch(inner: HttpClient, killAt: number | ((method: string) => boolean), onKill: () => void): HttpClient {
  let sent = 0;
  let dead = false;
  const isKillPoint = (n: number, method: string) => (typeof killAt === "number" ? n === killAt : killAt(method));
  const killed = () => new Error("process killed");
  return {
    stats: inner.stats,
    close: () => inner.close(),
    async request(req) {
      if (dead) throw killed();
      const n = ++sent;
      const res = await inner.request(req);
      if (isKillPoint(n, req.method) && !dead) {
        dead = true;
        onKill();
      }
      if (dead) throw killed();
      return res;
    },
  };
}

/** Deterministic pseudo-random kill points. */
function killPoints(count: number, seed: number, max: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 1 + (x % max);
  });
}

describe("crash safety", () => {
  let w: World;
  const dir = mkdtempSync(join(tmpdir(), "pd-crash-"));
  const file = join(dir, "state.db");
  beforeAll(async () => {
    w = await startWorld({ users: 2000, seed: 21, pageSize: 999, profile: { source: { scope: "all" } } });
  });
  afterAll(() => w.close());

  it(
    "a 2,000-user first cycle killed at 10 random points and restarted each time ends with no duplicate and the exact target",
    { timeout: 240_000 },
    async () => {
      const points = killPoints(10, 99, 400);
      let kills = 0;
      for (const point of points) {
        const db = openDatabase(file);
        const http = killSwitch(createHttpClient({ concurrency: 8, baseDelayMs: 5, maxDelayMs: 50 }), point, () => {
          kills++;
          db.close();
        });
        const scim = createScimClient({
          tenantUrl: w.scimSrv.tenantUrl,
          token: w.scimSrv.token,
          dialect: "entra",
          preset: "splashtop",
          http,
        });
        await runCycle(
          { db, profile: w.profile, rules: w.rules, graph: w.graph, scim },
          { dryRun: false, full: false, allowDeletes: false },
        ).catch(() => undefined);
        if (db.open) db.close();
        await http.close();
        // No duplicate at any point: every userName and group at most once.
        const users = w.scimSrv.listUsers().map((u) => u.userName.toLowerCase());
        expect(new Set(users).size).toBe(users.length);
        const groups = w.scimSrv.listGroups().map((g) => g.externalId);
        expect(new Set(groups).size).toBe(groups.length);
      }
      expect(kills).toBe(10);
      expect(w.scimSrv.listUsers().length).toBeGreaterThan(1000);

      const db = openDatabase(file);
      const final = await runCycle(
        { db, profile: w.profile, rules: w.rules, graph: w.graph, scim: w.scim },
        { dryRun: false, full: false, allowDeletes: false },
      );
      expect(final.summary.error).toBeNull();
      expect(final.summary.outcome).toBe("succeeded");
      const expected = expectedTarget(w.graphEmu, "all");
      expect(expected.users.length).toBeGreaterThan(1800);
      expect(actualTarget(w.scimSrv)).toEqual(expected);
      // Every target object is linked exactly once; the abandoned cycles are closed as failed.
      expect(linkCounts(db, w.profile.name)).toEqual({ users: expected.users.length, groups: expected.groups.length });
      expect(listCycles(db, w.profile.name, 20).filter((c) => c.outcome === "running")).toEqual([]);
      // And the next cycle has nothing left to do.
      const mark = w.scimSrv.requests.length;
      await runCycle(
        { db, profile: w.profile, rules: w.rules, graph: w.graph, scim: w.scim },
        { dryRun: false, full: false, allowDeletes: false },
      );
      expect(w.scimSrv.requests.slice(mark).filter((r) => r.method !== "GET")).toEqual([]);
      db.close();
    },
  );
});

describe("crash safety in an incremental cycle", () => {
  it("a create whose answer was lost is found by its intent on restart, not sent again", async () => {
    const w = await startWorld({ users: 60, seed: 8 });
    const file = join(mkdtempSync(join(tmpdir(), "pd-crash-")), "state.db");
    try {
      const cycle = async (scim = w.scim, db = openDatabase(file)) => {
        const r = await runCycle(
          { db, profile: w.profile, rules: w.rules, graph: w.graph, scim },
          { dryRun: false, full: false, allowDeletes: false },
        ).catch(() => undefined);
        if (db.open) db.close();
        return r;
      };
      await cycle();
      const admin = w.graphEmu.admin;
      const [groupId] = expectedScope(w.graphEmu).groupIds;
      const user = admin.addUser({
        userPrincipalName: "crash.victim@contoso.com",
        displayName: "Crash Victim",
        givenName: "Crash",
        surname: "Victim",
        mailNickname: "crash.victim",
      });
      admin.addMember(groupId!, user.id);

      const db = openDatabase(file);
      const http = killSwitch(
        createHttpClient({}),
        (method) => method === "POST",
        () => db.close(),
      );
      await cycle(
        createScimClient({
          tenantUrl: w.scimSrv.tenantUrl,
          token: w.scimSrv.token,
          dialect: "entra",
          preset: "splashtop",
          http,
        }),
        db,
      );
      await http.close();
      expect(w.scimSrv.listUsers().filter((u) => u.userName === "crash.victim@contoso.com")).toHaveLength(1);

      const mark = w.scimSrv.requests.length;
      const restarted = await cycle();
      expect(restarted?.summary.error).toBeNull();
      expect(restarted?.summary.kind).toBe("incremental");
      const sent = w.scimSrv.requests.slice(mark).filter((r) => r.method !== "GET");
      expect(sent.map((r) => r.method)).toEqual(["PATCH"]); // only the group membership: the user is not POSTed again
      expect(w.scimSrv.listUsers().filter((u) => u.userName === "crash.victim@contoso.com")).toHaveLength(1);
      expect(actualTarget(w.scimSrv)).toEqual(expectedTarget(w.graphEmu));
      const check = openDatabase(file);
      expect(getLink(check, w.profile.name, "user", user.id)?.matchedBy).toBe("intent");
      check.close();
    } finally {
      await w.close();
    }
  });
});
