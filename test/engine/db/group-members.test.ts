// Migrations 009 and 010: the mirror's group memberships indexed by member, kept by triggers for new and deleted
// groups and by saveMirror from a changed group's added and removed members.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { groupsWithMembers, migrate, openDatabase, renameProfileState, saveMirror } from "../../../electron/engine/db";
import { MIGRATIONS } from "../../../electron/engine/db/migrations";
import type { SourceObject } from "../../../electron/engine/db/types";

const P = "p";
const group = (id: string, members: string[]): SourceObject => ({
  type: "group",
  id,
  attributes: { displayName: id },
  members: members.map((m) => ({ id: m, type: "user" })),
  removed: null,
});
const sorted = (ids: string[]) => [...ids].sort();

describe("groups by member", () => {
  it("follows the mirror's groups as they are written, changed, replaced and deleted", () => {
    const db = openDatabase(":memory:");
    saveMirror(db, P, "group", [group("g1", ["a", "b"]), group("g2", ["b"]), group("g3", [])], true);
    expect(sorted(groupsWithMembers(db, P, ["b"]))).toEqual(["g1", "g2"]);
    expect(groupsWithMembers(db, P, ["a", "c"])).toEqual(["g1"]);
    expect(groupsWithMembers(db, P, [])).toEqual([]);

    saveMirror(db, P, "group", [group("g2", ["c"])], false); // an incremental cycle's changed group
    expect(groupsWithMembers(db, P, ["b"])).toEqual(["g1"]);
    expect(groupsWithMembers(db, P, ["c"])).toEqual(["g2"]);
    // Members added and removed at once, a member listed twice, a new group among changed ones, a group emptied.
    saveMirror(db, P, "group", [group("g1", ["b", "d", "d"]), group("g4", ["a"]), group("g2", [])], false);
    expect(groupsWithMembers(db, P, ["a"])).toEqual(["g4"]);
    expect(groupsWithMembers(db, P, ["d"])).toEqual(["g1"]);
    expect(groupsWithMembers(db, P, ["c"])).toEqual([]);
    saveMirror(db, P, "group", [{ ...group("g2", []), members: undefined }], false); // members not read
    saveMirror(db, P, "group", [group("g2", ["a"])], false);
    expect(sorted(groupsWithMembers(db, P, ["a"]))).toEqual(["g2", "g4"]);

    saveMirror(db, P, "group", [group("g3", ["a"])], true); // a full read replaces the type's mirror
    expect(groupsWithMembers(db, P, ["a"])).toEqual(["g3"]);
    expect(groupsWithMembers(db, P, ["b", "c"])).toEqual([]);
    // Users are not groups: their rows never enter the index.
    saveMirror(db, P, "user", [{ type: "user", id: "a", attributes: {}, removed: null }], true);
    expect(groupsWithMembers(db, P, ["a"])).toEqual(["g3"]);
  });

  it("moves with a profile rename, even onto a name that had groups of the same ids", () => {
    const db = openDatabase(":memory:");
    saveMirror(db, "old", "group", [group("g1", ["a"])], true);
    saveMirror(db, "new", "group", [group("g1", ["z"])], true);
    renameProfileState(db, "old", "new");
    expect(groupsWithMembers(db, "new", ["a"])).toEqual(["g1"]);
    expect(groupsWithMembers(db, "new", ["z"])).toEqual([]);
    expect(groupsWithMembers(db, "old", ["a"])).toEqual([]);
  });

  it("is filled from an existing mirror when the database is migrated", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 8));
    saveMirror(db, P, "group", [group("g1", ["a", "b"]), group("g2", ["b"])], true);
    migrate(db);
    expect(sorted(groupsWithMembers(db, P, ["b"]))).toEqual(["g1", "g2"]);
    expect(groupsWithMembers(db, P, ["a"])).toEqual(["g1"]);
    saveMirror(db, P, "group", [group("g1", ["c"])], false); // and kept once migrated
    expect(groupsWithMembers(db, P, ["a", "b", "c"]).sort()).toEqual(["g1", "g2"]);
    expect(groupsWithMembers(db, P, ["c"])).toEqual(["g1"]);
  });
});
