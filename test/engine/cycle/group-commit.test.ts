import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCycle } from "../../../electron/engine/cycle";
import { listIntents, openDatabase } from "../../../electron/engine/db";
import { createHttpClient, type HttpClient } from "../../../electron/engine/http";
import { createScimClient } from "../../../electron/engine/target";
import { startWorld, type World } from "./harness";

/** A target client that runs `before` as each request leaves, and answers `answer(n)` instead of the target if set. */
function watching(
  inner: HttpClient,
  before: (method: string, url: string, json: unknown) => void,
  answer?: (n: number, method: string) => number | undefined,
): HttpClient {
  let posts = 0;
  return {
    stats: inner.stats,
    close: () => inner.close(),
    async request(req) {
      before(req.method, req.url, req.json);
      const status = req.method === "POST" ? answer?.(++posts, req.method) : undefined;
      if (status) return { status, headers: { "content-type": "application/json" }, body: {}, clientRequestId: "test" };
      return inner.request(req);
    },
  };
}

describe("grouped commits in the apply phase", () => {
  let w: World | undefined;
  afterEach(() => w?.close());

  it("every create's intent is committed, readable by another connection, before its POST leaves", async () => {
    w = await startWorld({ users: 120, seed: 5, profile: { source: { scope: "all" } } });
    const file = join(mkdtempSync(join(tmpdir(), "pd-group-")), "state.db");
    const db = openDatabase(file);
    // Another connection sees only committed rows: what a crash at this instant would leave.
    const reader = new Database(file, { readonly: true });
    const committed = reader.prepare(
      "SELECT count(*) AS n FROM intents WHERE json_extract(payload, '$.matchValue') = ?",
    );
    const missing: string[] = [];
    let checked = 0;
    const http = watching(createHttpClient({ concurrency: 4 }), (method, url, json) => {
      if (method !== "POST" || !url.endsWith("/Users")) return;
      const userName = (json as { userName: string }).userName;
      checked++;
      if ((committed.get(userName) as { n: number }).n !== 1) missing.push(userName);
    });
    const scim = createScimClient({
      tenantUrl: w.scimSrv.tenantUrl,
      token: w.scimSrv.token,
      dialect: "entra",
      preset: "splashtop",
      http,
    });
    const result = await runCycle(
      { db, profile: w.profile, rules: w.rules, graph: w.graph, scim },
      { dryRun: false, full: false, allowDeletes: false },
    );
    expect(result.summary.outcome).toBe("succeeded");
    expect(checked).toBeGreaterThan(100);
    expect(missing).toEqual([]);
    // Each created object's intent went in the transaction that recorded it.
    expect(listIntents(db, w.profile.name)).toEqual([]);
    reader.close();
    db.close();
    await http.close();
  });

  it("a wave stopped by a refused token leaves no intent for the creates it never sent", async () => {
    w = await startWorld({ users: 120, seed: 5, profile: { source: { scope: "all" } } });
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), "pd-group-")), "state.db"));
    // The 10th create is answered 401: the cycle ends, with intents already written ahead for the next creates.
    const http = watching(
      createHttpClient({ concurrency: 4 }),
      () => undefined,
      (n) => (n === 10 ? 401 : undefined),
    );
    const scim = createScimClient({
      tenantUrl: w.scimSrv.tenantUrl,
      token: w.scimSrv.token,
      dialect: "entra",
      preset: "splashtop",
      http,
    });
    const result = await runCycle(
      { db, profile: w.profile, rules: w.rules, graph: w.graph, scim },
      { dryRun: false, full: false, allowDeletes: false },
    );
    expect(result.summary.outcome).not.toBe("succeeded");
    expect(w.scimSrv.listUsers().length).toBeLessThan(30);
    expect(listIntents(db, w.profile.name)).toEqual([]);
    db.close();
    await http.close();
  });
});
