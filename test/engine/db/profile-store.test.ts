import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, openDatabase, openProfileStore, PROFILES_FILE } from "../../../electron/engine/db";
import { MIGRATIONS } from "../../../electron/engine/db/migrations";

const now = () => new Date("2026-11-29T10:00:00Z");
const fresh = () => openProfileStore(join(mkdtempSync(join(tmpdir(), "pd-store-")), PROFILES_FILE), { now });

describe("profile store", () => {
  it("each save bumps the revision; a save based on another revision is refused and changes nothing", () => {
    const store = fresh();
    expect(store.put("acme", '{"v":1}', null)).toEqual({ status: "saved", revision: 1 });
    // Creating again (base null) when the name exists is a conflict, as is a stale base.
    expect(store.put("acme", '{"v":9}', null)).toMatchObject({ status: "conflict", current: { revision: 1 } });
    expect(store.put("acme", '{"v":2}', 1)).toEqual({ status: "saved", revision: 2 });
    expect(store.put("acme", '{"v":9}', 1)).toMatchObject({ status: "conflict", current: { json: '{"v":2}' } });
    expect(store.put("gone", "{}", 3)).toEqual({ status: "conflict", current: null });
    expect(store.put("acme", '{"v":3}', "any")).toEqual({ status: "saved", revision: 3 });
    expect(store.get("acme")).toEqual({
      name: "acme",
      json: '{"v":3}',
      revision: 3,
      updatedAt: now().toISOString(),
    });
    expect(store.list()).toEqual([{ name: "acme", revision: 3, updatedAt: now().toISOString() }]);
  });

  it("renames (the name inside the JSON too, the selection follows) and deletes", () => {
    const store = fresh();
    store.put("acme", '{"name":"acme"}', null);
    store.put("other", '{"name":"other"}', null);
    store.setActive("acme");
    expect(store.rename("acme", "other")).toBe(false);
    expect(store.rename("missing", "x")).toBe(false);
    expect(store.rename("acme", "contoso")).toBe(true);
    expect(store.get("contoso")).toMatchObject({ json: '{"name":"contoso"}', revision: 2 });
    expect(store.active()).toBe("contoso");
    expect(store.delete("contoso")).toBe(true);
    expect(store.delete("contoso")).toBe(false);
    expect(store.active()).toBeNull();
    expect(store.list().map((p) => p.name)).toEqual(["other"]);
  });

  it("takes the profiles out of a state database written by version 1, which then holds none", () => {
    const dir = mkdtempSync(join(tmpdir(), "pd-legacy-"));
    const file = join(dir, "state.sqlite");
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 1));
    old.prepare("INSERT INTO profiles (name, json, updated) VALUES (?, ?, ?)").run("acme", '{"name":"acme"}', "t1");
    old.prepare("INSERT INTO links VALUES ('acme', 'user', 's1', 't1', 'userName', 't1')").run();
    old.close();

    const store = openProfileStore(join(dir, PROFILES_FILE));
    store.put("kept", "{}", null);
    const db = openDatabase(file, { takeLegacyProfiles: (rows) => store.addMissing(rows) });
    expect(store.get("acme")).toMatchObject({ json: '{"name":"acme"}', revision: 1 });
    expect(store.list().map((p) => p.name)).toEqual(["acme", "kept"]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'profiles'").all()).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM links").get()).toEqual({ n: 1 });
  });

  it("refuses to migrate a version-1 database with profiles when nobody takes them (nothing is dropped)", () => {
    const file = join(mkdtempSync(join(tmpdir(), "pd-legacy-")), "state.sqlite");
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 1));
    old.prepare("INSERT INTO profiles (name, json, updated) VALUES ('acme', '{}', 't')").run();
    old.close();
    expect(() => openDatabase(file)).toThrow(/holds profiles/);
    const check = new Database(file);
    expect(check.prepare("SELECT count(*) AS n FROM profiles").get()).toEqual({ n: 1 });
    check.close();
  });
});
