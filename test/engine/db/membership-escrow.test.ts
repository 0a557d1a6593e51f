import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  clearAllEscrow,
  clearMembershipEscrow,
  escrowFailure,
  escrowMemberships,
  loadEscrow,
  loadMembershipEscrow,
  migrate,
  openDatabase,
} from "../../../electron/engine/db";
import { MIGRATIONS } from "../../../electron/engine/db/migrations";

const now = new Date("2026-12-01T10:00:00.000Z");
const limit = {
  errorCode: "GroupMemberLimit",
  message:
    'The SCIM app rejected the request to update a group (400 invalidValue). It said: "Groups cannot contain more than 1000 direct members".',
  recommendation: "The target allows at most 1000 members per group: split the group in Entra or narrow the scope.",
  lasting: true,
};

describe("membership escrow", () => {
  it("migration 4 adds the membership_escrow table to a version-1 database", () => {
    const db = new Database(":memory:");
    migrate(db, MIGRATIONS.slice(0, 1));
    migrate(db);
    expect(db.pragma("user_version", { simple: true })).toBeGreaterThanOrEqual(4);
    const cols = (db.prepare("PRAGMA table_info(membership_escrow)").all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual([
      "profile",
      "group_source_id",
      "member_source_id",
      "op",
      "attempts",
      "retry_after",
      "error_code",
      "last_error",
      "recommendation",
    ]);
  });

  it("a lasting refusal waits 40 minutes, then 2 hours; another refusal may go again next cycle", () => {
    const db = openDatabase(":memory:");
    escrowMemberships(
      db,
      "p",
      "g1",
      [
        { sourceId: "u1", op: "add" },
        { sourceId: "u2", op: "add" },
      ],
      limit,
      now,
    );
    escrowMemberships(db, "p", "g1", [{ sourceId: "u1", op: "add" }], limit, now);
    escrowMemberships(db, "p", "g2", [{ sourceId: "u3", op: "remove" }], { ...limit, lasting: false }, now);
    const escrow = loadMembershipEscrow(db, "p");
    expect(escrow.get("g1")?.get("u1")).toEqual({
      op: "add",
      attempts: 2,
      retryAfter: "2026-12-01T12:00:00.000Z",
      errorCode: "GroupMemberLimit",
      lastError: limit.message,
      recommendation: limit.recommendation,
    });
    expect(escrow.get("g1")?.get("u2")).toMatchObject({ attempts: 1, retryAfter: "2026-12-01T10:40:00.000Z" });
    expect(escrow.get("g2")?.get("u3")).toMatchObject({ op: "remove", attempts: 1, retryAfter: now.toISOString() });
    expect(loadMembershipEscrow(db, "other").size).toBe(0);

    clearMembershipEscrow(db, "p", "g1", ["u1"]);
    expect([...loadMembershipEscrow(db, "p").get("g1")!.keys()]).toEqual(["u2"]);
    clearAllEscrow(db, "p");
    expect(loadMembershipEscrow(db, "p").size).toBe(0);
  });

  it("an object's lasting refusal also waits 40 minutes, where an outage is retried next cycle", () => {
    const db = openDatabase(":memory:");
    escrowFailure(db, "p", "user", "u1", "refused: emails required", now, { lasting: true });
    escrowFailure(db, "p", "user", "u2", "500", now);
    const escrow = loadEscrow(db, "p");
    expect(escrow.get("user:u1")?.retryAfter).toBe("2026-12-01T10:40:00.000Z");
    expect(escrow.get("user:u2")?.retryAfter).toBe(now.toISOString());
  });
});
