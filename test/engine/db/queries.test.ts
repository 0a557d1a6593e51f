import { describe, expect, it } from "vitest";
import {
  deleteLink,
  emptyCounts,
  escrowFailure,
  finishCycle,
  getLink,
  insertLogEntry,
  lastInScope,
  linkCounts,
  listCycles,
  listLogEntries,
  loadEscrow,
  loadExported,
  loadGroupMembers,
  loadMirror,
  openDatabase,
  putExported,
  putLink,
  recordMembershipChange,
  saveMirror,
  startCycle,
} from "../../../electron/engine/db";

const P = "default";
const now = new Date("2026-11-29T10:00:00Z");

describe("state queries", () => {
  it("the hot link lookup is served by an index", () => {
    const db = openDatabase(":memory:");
    for (const sql of [
      "SELECT target_id FROM links WHERE profile = ? AND type = ? AND source_id = ?",
      "SELECT source_id FROM links WHERE profile = ? AND type = ? AND target_id = ?",
    ]) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all("p", "user", "x") as { detail: string }[])
        .map((r) => r.detail)
        .join(" ");
      expect(plan).toMatch(/SEARCH links USING (PRIMARY KEY|(COVERING )?INDEX links_by_target)/);
      expect(plan).not.toMatch(/SCAN/);
    }
  });

  it("keeps the mirror, links, exported values and memberships per profile", () => {
    const db = openDatabase(":memory:");
    saveMirror(
      db,
      P,
      "group",
      [
        {
          type: "group",
          id: "g1",
          attributes: { displayName: "G" },
          members: [{ id: "u1", type: "user" }],
          removed: null,
        },
      ],
      false,
    );
    saveMirror(db, "other", "group", [{ type: "group", id: "g9", attributes: {}, removed: null }], false);
    expect(loadMirror(db, P, "group").get("g1")?.members).toEqual([{ id: "u1", type: "user" }]);
    saveMirror(db, P, "group", [], true);
    expect(loadMirror(db, P, "group").size).toBe(0);
    expect(loadMirror(db, "other", "group").size).toBe(1);

    putLink(db, P, { type: "user", sourceId: "u1", targetId: "t1", matchedBy: "created", created: now.toISOString() });
    putLink(db, P, {
      type: "group",
      sourceId: "g1",
      targetId: "tg",
      matchedBy: "displayName",
      created: now.toISOString(),
    });
    putExported(db, P, "group", "g1", { displayName: "G" }, now);
    recordMembershipChange(db, P, "g1", [{ sourceId: "u1", targetId: "t1" }], []);
    expect(linkCounts(db, P)).toEqual({ users: 1, groups: 1 });
    expect(loadGroupMembers(db, P).get("g1")).toEqual(new Map([["u1", "t1"]]));
    expect(deleteLink(db, P, "group", "g1")).toBe(true);
    expect(deleteLink(db, P, "group", "g1")).toBe(false);
    expect(loadExported(db, P, "group").size).toBe(0);
    expect(loadGroupMembers(db, P).size).toBe(0);
    expect(getLink(db, P, "user", "u1")?.targetId).toBe("t1");
  });

  it("records cycles and their log entries, newest first", () => {
    const db = openDatabase(":memory:");
    const c1 = startCycle(db, P, "initial", false, now);
    finishCycle(db, { ...c1, outcome: "succeeded", endedAt: now.toISOString(), durationMs: 5 }, 42);
    const c2 = startCycle(db, P, "incremental", true, now);
    finishCycle(db, { ...c2, outcome: "succeeded", endedAt: now.toISOString(), durationMs: 5 }, 1);
    expect(lastInScope(db, P)).toBe(42);
    expect(listCycles(db, P, 10).map((c) => [c.id, c.kind, c.dryRun])).toEqual([
      [c2.id, "incremental", true],
      [c1.id, "initial", false],
    ]);
    expect(() => finishCycle(db, { ...c1, id: 999, counts: emptyCounts() }, null)).toThrow(/missing/);
    for (const id of ["u1", "u2"]) {
      insertLogEntry(db, P, {
        cycleId: c1.id,
        at: now.toISOString(),
        objectType: "user",
        sourceId: id,
        targetId: null,
        displayName: id,
        action: "Create",
        status: "Success",
        modified: [{ attribute: "userName", old: null, new: `${id}@x` }],
        steps: [{ name: "match", status: "Success", detail: "no match" }],
        errorCode: null,
        message: null,
        recommendation: null,
        requestIds: ["r1"],
      });
    }
    const entries = listLogEntries(db, P, { cycleId: c1.id, limit: 10 });
    expect(entries.map((e) => e.sourceId)).toEqual(["u2", "u1"]);
    expect(entries[0]?.modified).toEqual([{ attribute: "userName", old: null, new: "u2@x" }]);
    expect(listLogEntries(db, P, { cycleId: c2.id, limit: 10 })).toEqual([]);
    expect(listLogEntries(db, P, { limit: 1 })).toHaveLength(1);
  });

  it("escrows failed objects with growing retry intervals", () => {
    const db = openDatabase(":memory:");
    escrowFailure(db, P, "user", "u1", "boom", now);
    const first = loadEscrow(db, P).get("user:u1");
    escrowFailure(db, P, "user", "u1", "boom again", now);
    escrowFailure(db, P, "user", "u1", "boom again", now);
    const third = loadEscrow(db, P).get("user:u1");
    expect(first?.attempts).toBe(1);
    expect(third).toMatchObject({ attempts: 3, lastError: "boom again" });
    expect(Date.parse(third!.retryAfter)).toBeGreaterThan(Date.parse(first!.retryAfter));
  });
});
