// Migrations 009 to 011: the mirror's group memberships, kept in an index by member (the only place they are kept since
// migration 011): by saveMirror from a group's added and removed members, and by a trigger for deleted groups.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  getMirrorObjects,
  groupsWithMembers,
  loadMirror,
  migrate,
  openDatabase,
  renameProfileState,
  saveMirror,
} from "../../../electron/engine/db";
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

  it("is filled from an existing mirror's member lists when the database is migrated, and kept from then on", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 8));
    // Before migration 011 a group's members were JSON in its mirror row (the index came with migration 009).
    const insert = db.prepare(
      "INSERT INTO source_objects (profile, type, id, attributes, members, removed) VALUES (?, 'group', ?, '{}', ?, NULL)",
    );
    insert.run(
      P,
      "g1",
      JSON.stringify([
        { id: "a", type: "user" },
        { id: "b", type: "user" },
        { id: "g2", type: "group" },
      ]),
    );
    insert.run(P, "g2", JSON.stringify([{ id: "b", type: "user" }]));
    insert.run(P, "g3", null);
    migrate(db);
    expect(sorted(groupsWithMembers(db, P, ["b"]))).toEqual(["g1", "g2"]);
    expect(groupsWithMembers(db, P, ["a"])).toEqual(["g1"]);
    // The members read back as they were written, nested groups included; a group without a list has none.
    const mirror = loadMirror(db, P, "group");
    expect(mirror.get("g1")?.members).toEqual([
      { id: "a", type: "user" },
      { id: "b", type: "user" },
      { id: "g2", type: "group" },
    ]);
    expect(getMirrorObjects(db, P, "group", ["g3"]).get("g3")?.members).toEqual([]);
    saveMirror(db, P, "group", [group("g1", ["c"])], false); // and kept once migrated
    expect(groupsWithMembers(db, P, ["a", "b", "c"]).sort()).toEqual(["g1", "g2"]);
    expect(groupsWithMembers(db, P, ["c"])).toEqual(["g1"]);
    expect(getMirrorObjects(db, P, "group", ["g1"]).get("g1")?.members).toEqual([{ id: "c", type: "user" }]);
  });
});
