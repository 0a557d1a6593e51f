import Database from "better-sqlite3";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DatabaseTooNewError, LATEST_VERSION, migrate, openDatabase } from "../../../electron/engine/db";
import { MIGRATIONS } from "../../../electron/engine/db/migrations";

const tables = (db: Database.Database) =>
  (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);

describe("migrations", () => {
  it("migration 1 creates every table of the state database", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    expect(tables(db)).toEqual(
      [
        "cycles",
        "delta_links",
        "escrow",
        "exported",
        "group_members_exported",
        "intents",
        "links",
        "log_entries",
        "profiles",
        "source_objects",
      ].sort(),
    );
  });

  it("versions are consecutive from 1 and a second run changes nothing", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    const db = openDatabase(":memory:");
    expect(migrate(db)).toBe(LATEST_VERSION);
    expect(db.pragma("user_version", { simple: true })).toBe(LATEST_VERSION);
  });

  it("a failing migration leaves the database at its previous version", () => {
    const db = new Database(":memory:");
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_VERSION + 1,
        name: "broken",
        up: (d: Database.Database) => d.exec("CREATE TABLE x (a); SELEC nonsense"),
      },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma("user_version", { simple: true })).toBe(0);
    expect(tables(db)).toEqual([]);
  });

  it("refuses a database written by a newer version, with a message saying what to do", () => {
    const dir = mkdtempSync(join(tmpdir(), "pd-db-"));
    const file = join(dir, "state.db");
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer ProvisionDesk.*Update ProvisionDesk/);
    expect(readdirSync(dir)).not.toContainEqual(expect.stringContaining("damaged"));
  });

  it("moves a damaged file aside and starts fresh", () => {
    const dir = mkdtempSync(join(tmpdir(), "pd-db-"));
    const file = join(dir, "state.db");
    writeFileSync(file, Buffer.alloc(8192, 7));
    let aside = "";
    const db = openDatabase(file, { onMovedAside: (p) => (aside = p) });
    expect(aside).toMatch(/state\.db\.damaged-/);
    expect(readdirSync(dir)).toContain(aside.split("/").at(-1));
    expect(db.pragma("user_version", { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
  });
});
