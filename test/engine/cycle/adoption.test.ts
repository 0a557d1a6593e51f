import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../electron/engine/db";
import { runCycle } from "../../../electron/engine/cycle";
import { actualTarget, expectedTarget, startWorld, targetWrites, type World } from "./harness";

/**
 * Adoption: an empty data folder against a target that already holds everything (a new install, a lost or damaged
 * cache). Groups are matched, their members read, and only the difference is sent.
 */
describe("adoption of a populated target", () => {
  let w: World;
  const adoptFresh = async () => {
    const db = openDatabase(":memory:");
    const { profile, rules, graph, scim } = w;
    const mark = w.scimSrv.requests.length;
    const run = () =>
      runCycle({ db, profile, rules, graph, scim }, { dryRun: false, full: false, allowDeletes: false });
    const result = await run();
    return { result, requests: w.scimSrv.requests.slice(mark), run };
  };

  beforeAll(async () => {
    w = await startWorld({ users: 2000, seed: 5, profile: { source: { scope: "all" } } });
    const first = await w.run();
    expect(first.summary.outcome).toBe("succeeded");
    expect(actualTarget(w.scimSrv)).toEqual(expectedTarget(w.graphEmu, "all"));
  });
  afterAll(() => w.close());

  it("adopting a correct 2,000-user target costs reads only: not one write", async () => {
    const groups = w.scimSrv.listGroups();
    expect(w.scimSrv.listUsers().length).toBeGreaterThan(1900);
    expect(groups.reduce((n, g) => n + g.members.length, 0)).toBeGreaterThan(2000);
    const { result, requests, run } = await adoptFresh();
    expect(result.summary.outcome).toBe("succeeded");
    expect(requests.filter((r) => r.method !== "GET")).toEqual([]);
    // The listing pages (100 per page) plus one members read per matched group.
    const memberReads = requests.filter((r) => r.path.startsWith("/Groups/"));
    expect(memberReads).toHaveLength(groups.length);
    for (const r of memberReads) expect(r.query).toEqual({ attributes: "members" });
    expect(result.summary.requests.target).toBe(requests.length);
    // 1,902 users and 100 groups: 20 + 1 listing pages, 100 member reads (121 requests when measured).
    expect(requests.length).toBe(Math.ceil(w.scimSrv.listUsers().length / 100) + 1 + groups.length);
    // What was read is recorded: the next cycle has nothing to send either.
    const mark = w.scimSrv.requests.length;
    expect((await run()).summary.outcome).toBe("succeeded");
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
  });

  it("a target that drifted gets exactly the missing member added and the extra one removed", async () => {
    const group = w.scimSrv.listGroups().find((g) => g.members.length >= 3)!;
    const missing = group.members[0]!.value;
    const outsider = w.scimSrv.listUsers().find((u) => !group.members.some((m) => m.value === u.id))!.id;
    await w.scim.patch("Groups", group.id, [
      { op: "Remove", path: "members", value: [{ value: missing }] },
      { op: "Add", path: "members", value: [{ value: outsider }] },
    ]);
    const { requests } = await adoptFresh();
    const writes = requests.filter((r) => r.method !== "GET");
    expect(writes.map((r) => [r.method, r.path])).toEqual([["PATCH", `/Groups/${group.id}`]]);
    expect(writes[0]!.body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "Add", path: "members", value: [{ value: missing }] },
        { op: "Remove", path: "members", value: [{ value: outsider }] },
      ],
    });
    expect(actualTarget(w.scimSrv)).toEqual(expectedTarget(w.graphEmu, "all"));
  });
});
