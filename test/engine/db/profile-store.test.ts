import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrate, openDatabase, openProfileStore, PROFILES_FILE } from "../../../electron/engine/db";
import { PROFILES_BACKUP_FILE } from "../../../electron/engine/db/profile-store";
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

  it("a damaged store is set aside and restored from the copy kept beside it, revisions and selection included", () => {
    const dir = mkdtempSync(join(tmpdir(), "pd-store-"));
    const file = join(dir, PROFILES_FILE);
    const store = openProfileStore(file);
    store.put("acme", '{"v":1}', null);
    store.put("acme", '{"v":2}', 1);
    store.put("beta", '{"v":1}', null);
    store.setActive("beta");
    store.close();
    writeFileSync(file, randomBytes(8192));

    const damaged: { aside: string; restored: string[] }[] = [];
    const reopened = openProfileStore(file, { onDamaged: (aside, restored) => damaged.push({ aside, restored }) });
    expect(damaged).toEqual([
      { aside: expect.stringContaining("profiles.sqlite.damaged-"), restored: ["acme", "beta"] },
    ]);
    expect(reopened.get("acme")).toMatchObject({ json: '{"v":2}', revision: 2 });
    expect(reopened.active()).toBe("beta");
    // An edit based on the revision the app had still saves.
    expect(reopened.put("acme", '{"v":3}', 2)).toEqual({ status: "saved", revision: 3 });
    expect(statSync(join(dir, PROFILES_BACKUP_FILE)).mode & 0o777).toBe(0o600);
  });
});
