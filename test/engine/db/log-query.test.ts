import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  deleteOldLog,
  finishCycle,
  insertLogEntry,
  listCycles,
  logEntriesPage,
  migrate,
  openDatabase,
  saveMirror,
  startCycle,
  type Db,
} from "../../../electron/engine/db";
import { MIGRATIONS } from "../../../electron/engine/db/migrations";
import type { LogEntry } from "../../../shared/ipc/model";

const P = "default";
const T0 = Date.parse("2026-11-01T10:00:00.000Z");
const HOUR = 3_600_000;

type Input = Partial<Omit<LogEntry, "id">> & { sourceId: string };
const entry = (cycleId: number, input: Input): Omit<LogEntry, "id"> => ({
  cycleId,
  at: new Date(T0).toISOString(),
  objectType: "user",
  targetId: null,
  displayName: input.sourceId,
  action: "Create",
  status: "Success",
  modified: [],
  steps: [],
  errorCode: null,
  message: null,
  recommendation: null,
  requestIds: [],
  ...input,
});

function cycle(db: Db, startedAt: number) {
  const c = startCycle(db, P, "incremental", false, new Date(startedAt));
  finishCycle(db, { ...c, outcome: "succeeded", endedAt: new Date(startedAt).toISOString(), durationMs: 1 }, 10);
  return c.id;
}

/** A small log: Björn (UPN only in the mirror), Łukasz (email only in a create's modified properties), others. */
function seeded() {
  const db = openDatabase(":memory:");
  saveMirror(
    db,
    P,
    "user",
    [
      {
        type: "user",
        id: "u-bjorn",
        attributes: { userPrincipalName: "bjorn.angstrom@contoso.com", mail: "b.angstrom@contoso.com" },
        removed: null,
      },
    ],
    false,
  );
  const c1 = cycle(db, T0);
  const c2 = cycle(db, T0 + HOUR);
  insertLogEntry(db, P, entry(c1, { sourceId: "u-bjorn", displayName: "Björn Ångström", action: "Update" }));
  insertLogEntry(
    db,
    P,
    entry(c1, {
      sourceId: "u-lukasz",
      displayName: "Łukasz Żółć",
      modified: [
        { attribute: "userName", old: null, new: "LZolc@Contoso.com" },
        { attribute: 'emails[type eq "work"].value', old: null, new: "lukasz.zolc@fabrikam.com" },
        { attribute: "department", old: null, new: "Björnstad office" },
      ],
    }),
  );
  insertLogEntry(
    db,
    P,
    entry(c2, {
      sourceId: "g-sales",
      displayName: "Sales",
      objectType: "group",
      status: "Failure",
      targetId: "scim-77",
      at: new Date(T0 + HOUR).toISOString(),
    }),
  );
  insertLogEntry(
    db,
    P,
    entry(c2, {
      sourceId: "u-ann",
      displayName: "Ann Lee",
      action: "Disable",
      status: "Warning",
      at: new Date(T0 + 2 * HOUR).toISOString(),
    }),
  );
  return { db, c1, c2 };
}

const names = (page: { entries: LogEntry[] }) => page.entries.map((e) => e.displayName);
const find = (db: Db, identity: string) => names(logEntriesPage(db, P, { identity, limit: 50 }));

describe("log queries", () => {
  it("finds an identity regardless of accents and case, by name, UPN, email and ids", () => {
    const { db } = seeded();
    expect(find(db, "bjorn")).toEqual(["Björn Ångström"]);
    expect(find(db, "BJÖRN ÅNG")).toEqual(["Björn Ångström"]);
    expect(find(db, "angstrom@contoso")).toEqual(["Björn Ångström"]); // UPN and mail from the mirror
    expect(find(db, "lukasz zolc")).toEqual(["Łukasz Żółć"]); // Ł has no decomposition: folded by hand
    expect(find(db, "lukasz.zolc@fabrikam.com")).toEqual(["Łukasz Żółć"]); // email of a create
    expect(find(db, "lzolc@contoso.com")).toEqual(["Łukasz Żółć"]);
    expect(find(db, "scim-77")).toEqual(["Sales"]); // target id
    expect(find(db, "u-ann")).toEqual(["Ann Lee"]); // source id
    // A department is not an identity: "Björnstad office" does not make Łukasz a match for "bjornstad".
    expect(find(db, "bjornstad")).toEqual([]);
    // Fields are searched one by one, never across the join between them.
    expect(find(db, "lee\nu-ann")).toEqual([]);
  });

  it("filters by status, action, object type, cycle and time range, all at once", () => {
    const { db, c1, c2 } = seeded();
    expect(names(logEntriesPage(db, P, { status: ["Failure", "Warning"], limit: 50 }))).toEqual(["Ann Lee", "Sales"]);
    expect(names(logEntriesPage(db, P, { action: ["Update"], limit: 50 }))).toEqual(["Björn Ångström"]);
    expect(names(logEntriesPage(db, P, { objectType: ["group"], limit: 50 }))).toEqual(["Sales"]);
    expect(logEntriesPage(db, P, { cycleId: c1, limit: 50 }).total).toBe(2);
    expect(names(logEntriesPage(db, P, { cycleId: c2, status: ["Warning"], limit: 50 }))).toEqual(["Ann Lee"]);
    const window = { from: new Date(T0 + HOUR).toISOString(), to: "2026-11-01T14:00:00+02:00", limit: 50 };
    expect(names(logEntriesPage(db, P, window))).toEqual(["Ann Lee", "Sales"]);
    expect(logEntriesPage(db, "other profile", { limit: 50 }).total).toBe(0);
  });

  it("pages newest first with a cursor: every entry exactly once, and the total of all pages", () => {
    const db = openDatabase(":memory:");
    const c = cycle(db, T0);
    for (let i = 0; i < 25; i++)
      insertLogEntry(db, P, entry(c, { sourceId: `u${i}`, status: i % 5 === 0 ? "Failure" : "Success" }));
    const seen: string[] = [];
    let cursor: number | undefined;
    let pages = 0;
    do {
      const page = logEntriesPage(db, P, { limit: 10, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(25);
      seen.push(...page.entries.map((e) => e.sourceId));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `u${24 - i}`));
    const failures = logEntriesPage(db, P, { status: ["Failure"], limit: 3 });
    expect(failures.entries.map((e) => e.sourceId)).toEqual(["u20", "u15", "u10"]);
    expect(logEntriesPage(db, P, { status: ["Failure"], limit: 3, cursor: failures.nextCursor! }).entries).toHaveLength(
      2,
    );
  });

  it("answers the window's filters from indexes, not by scanning the whole log", () => {
    const { db } = seeded();
    const plan = (where: string) =>
      (
        db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM log_entries WHERE ${where} ORDER BY id DESC LIMIT 201`).all() as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join(" | ");
    expect(plan("profile = 'default' AND cycle_id = 1")).toMatch(/USING INDEX log_entries_by_(profile_)?cycle/);
    expect(plan("profile = 'default' AND status IN ('Failure')")).toMatch(/USING INDEX log_entries_by_status/);
    expect(plan("profile = 'default' AND action IN ('Update')")).toMatch(/USING INDEX log_entries_by_action/);
    expect(plan("profile = 'default'")).toMatch(/USING INDEX log_entries_by_profile/);
  });

  it("retention deletes entries and cycles older than the cutoff, keeping the newest cycle for the canary", () => {
    const db = openDatabase(":memory:");
    const old = cycle(db, T0 - 40 * 24 * HOUR);
    insertLogEntry(db, P, entry(old, { sourceId: "old", at: new Date(T0 - 40 * 24 * HOUR).toISOString() }));
    const recent = cycle(db, T0);
    insertLogEntry(db, P, entry(recent, { sourceId: "recent" }));
    expect(deleteOldLog(db, P, new Date(T0 - 30 * 24 * HOUR))).toEqual({ entries: 1, cycles: 1 });
    expect(listCycles(db, P, 10).map((c) => c.id)).toEqual([recent]);
    expect(logEntriesPage(db, P, { limit: 10 }).entries.map((e) => e.sourceId)).toEqual(["recent"]);
    // Nothing newer than the cutoff, and still the newest cycle stays.
    expect(deleteOldLog(db, P, new Date(T0 + 24 * HOUR))).toEqual({ entries: 1, cycles: 0 });
    expect(listCycles(db, P, 10).map((c) => c.id)).toEqual([recent]);
  });

  it("migration 3 makes entries written before it searchable, with the UPN from the mirror", () => {
    const db = new Database(":memory:");
    db.pragma("foreign_keys = ON");
    migrate(db, MIGRATIONS.slice(0, 1));
    db.exec(`INSERT INTO source_objects VALUES ('default', 'user', 'u1', '{"userPrincipalName":"zoe@contoso.com"}', NULL, NULL);
      INSERT INTO cycles (profile, kind, dry_run, started_at, outcome, counts, requests) VALUES ('default', 'initial', 0, '2026-11-01', 'succeeded', '{}', '{}');
      INSERT INTO log_entries (cycle_id, profile, at, object_type, source_id, display_name, action, status, modified, steps, request_ids)
        VALUES (1, 'default', '2026-11-01', 'user', 'u1', 'Zoë Ørsted', 'Create', 'Success', '[]', '[]', '[]');`);
    migrate(db);
    expect(find(db, "zoe orsted")).toEqual(["Zoë Ørsted"]);
    expect(find(db, "zoe@contoso")).toEqual(["Zoë Ørsted"]);
  });
});
