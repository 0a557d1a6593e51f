import { describe, expect, it } from "vitest";
import {
  clearLinkChanges,
  commitStagedMirror,
  deleteLink,
  loadMirror,
  linkChanges,
  linkCounts,
  openDatabase,
  pendingIds,
  putLink,
  renameProfileState,
  saveDecisions,
  saveMirror,
  clearStaged,
  putStaged,
  storedInScope,
} from "../../../electron/engine/db";
import type { SourceObject } from "../../../electron/engine/db/types";

const P = "p";
const user = (id: string): SourceObject => ({ type: "user", id, attributes: {}, removed: null });
const link = (sourceId: string, targetId: string) => ({
  type: "user" as const,
  sourceId,
  targetId,
  matchedBy: "created",
  created: "2026-01-01T00:00:00.000Z",
});

/** Migration 008: what an incremental cycle reads instead of the whole mirror. */
describe("stored scope decisions", () => {
  it("pending lists the wanted objects without a link, and follows links as they come and go", () => {
    const db = openDatabase(":memory:");
    saveMirror(db, P, "user", ["a", "b", "c"].map(user), true);
    putLink(db, P, link("a", "t-a"));
    saveDecisions(db, P, "user", [
      ["a", { inScope: true, softDeleted: false }],
      ["b", { inScope: true, softDeleted: false }],
      ["c", { inScope: true, softDeleted: true }],
    ]);
    expect(pendingIds(db, P, "user")).toEqual(["b"]);
    expect(storedInScope(db, P)).toBe(3);
    expect(storedInScope(db, P, [{ type: "user", id: "c" }])).toBe(1);

    putLink(db, P, link("b", "t-b"));
    expect(pendingIds(db, P, "user")).toEqual([]);
    // A link forgotten outside any cycle's plan (InvalidAnchor, a group's 404): the object is wanted again.
    deleteLink(db, P, "user", "a");
    expect(pendingIds(db, P, "user")).toEqual(["a"]);
    // A soft-deleted object is never pending, linked or not.
    putLink(db, P, link("c", "t-c"));
    deleteLink(db, P, "user", "c");
    expect(pendingIds(db, P, "user")).toEqual(["a"]);
  });

  it("an object saved with its decision is stored as if decided apart, and one saved without keeps its own", () => {
    const db = openDatabase(":memory:");
    saveMirror(db, P, "user", ["a", "b", "c", "d"].map(user), true);
    putLink(db, P, link("a", "t-a"));
    const decided = new Map([
      ["a", { inScope: true, softDeleted: false }],
      ["b", { inScope: true, softDeleted: false }],
      ["c", { inScope: true, softDeleted: true }],
      ["d", { inScope: false, softDeleted: false }],
    ]);
    saveMirror(db, P, "user", ["a", "b", "c", "d"].map(user), false, (id) => decided.get(id));
    expect(pendingIds(db, P, "user")).toEqual(["b"]);
    expect(storedInScope(db, P)).toBe(3);

    // Changed again without a decision (not evaluated): its stored decision stays; a new object has none.
    saveMirror(db, P, "user", [user("b"), user("e")], false);
    expect(pendingIds(db, P, "user")).toEqual(["b"]);
    expect(storedInScope(db, P)).toBe(3);
    putLink(db, P, link("b", "t-b"));
    expect(pendingIds(db, P, "user")).toEqual([]);
  });

  it("records every link change until a committed cycle has planned memberships with it", () => {
    const db = openDatabase(":memory:");
    putLink(db, P, link("a", "t-a"));
    putLink(db, P, { ...link("a", "t-a2"), matchedBy: "userName" });
    putLink(db, P, link("b", "t-b"));
    deleteLink(db, P, "user", "b");
    expect(linkChanges(db, P)).toEqual([
      { type: "user", id: "a" },
      { type: "user", id: "b" },
    ]);
    clearLinkChanges(db, P, [{ type: "user", id: "a" }]);
    expect(linkChanges(db, P)).toEqual([{ type: "user", id: "b" }]);
  });

  it("a full read staged until commit leaves the mirror as it was, then replaces it with its decisions", () => {
    const db = openDatabase(":memory:");
    saveMirror(db, P, "user", [user("old")], true);
    putLink(db, P, link("a", "t-a"));
    const decisions = new Map([
      ["a", { inScope: true, softDeleted: false }],
      ["b", { inScope: true, softDeleted: false }],
      ["c", { inScope: false, softDeleted: true }],
    ]);
    clearStaged(db, P, "user");
    putStaged(db, P, "user", ["a", "b", "c"].map(user), (id) => decisions.get(id));
    expect([...loadMirror(db, P, "user").keys()]).toEqual(["old"]);
    commitStagedMirror(db, P, "user");
    expect([...loadMirror(db, P, "user").keys()]).toEqual(["a", "b", "c"]);
    expect(pendingIds(db, P, "user")).toEqual(["b"]);
    expect(storedInScope(db, P)).toBe(2);
    // The staging is emptied: committing again would leave the type empty, not duplicate it.
    commitStagedMirror(db, P, "user");
    expect(loadMirror(db, P, "user").size).toBe(0);
  });

  it("link counts follow links recorded, re-linked and forgotten, and move with a renamed profile", () => {
    const db = openDatabase(":memory:");
    putLink(db, P, link("a", "t-a"));
    putLink(db, P, link("b", "t-b"));
    putLink(db, P, { ...link("a", "t-a2"), matchedBy: "userName" });
    putLink(db, P, { ...link("g", "t-g"), type: "group" });
    deleteLink(db, P, "user", "b");
    expect(linkCounts(db, P)).toEqual({ users: 1, groups: 1 });
    // Renamed onto a name that still has links of its own: those go, the counts are the moved profile's.
    putLink(db, "q", link("x", "t-x"));
    putLink(db, "q", link("y", "t-y"));
    renameProfileState(db, P, "q");
    expect(linkCounts(db, "q")).toEqual({ users: 1, groups: 1 });
    expect(linkCounts(db, P)).toEqual({ users: 0, groups: 0 });
  });
});
