import { describe, expect, it } from "vitest";
import {
  escrowFailure,
  escrowMemberships,
  loadEscrow,
  loadMembershipEscrow,
  makeEscrowDue,
  openDatabase,
} from "../../../electron/engine/db";

const failedAt = new Date("2026-12-01T10:00:00.000Z");
const clicked = new Date("2026-12-01T10:05:00.000Z");
const refusal = { errorCode: "InvalidValue", message: "400 invalidValue", recommendation: null, lasting: true };

describe("making one held object due now (Retry now)", () => {
  it("ends the back-off of that object and of its refused memberships only, keeping the attempts", () => {
    const db = openDatabase(":memory:");
    escrowFailure(db, "p", "user", "u-1", "refused", failedAt, { lasting: true });
    escrowFailure(db, "p", "user", "u-2", "refused", failedAt, { lasting: true });
    escrowFailure(db, "other", "user", "u-1", "another profile", failedAt, { lasting: true });
    escrowMemberships(
      db,
      "p",
      "g-1",
      [
        { sourceId: "u-1", op: "add" },
        { sourceId: "u-2", op: "add" },
      ],
      refusal,
      failedAt,
    );
    escrowMemberships(db, "p", "g-2", [{ sourceId: "u-3", op: "remove" }], refusal, failedAt);

    expect(makeEscrowDue(db, "p", "user", "u-1", clicked)).toBe(true);
    expect(loadEscrow(db, "p").get("user:u-1")).toMatchObject({ attempts: 1, retryAfter: clicked.toISOString() });
    expect(loadEscrow(db, "p").get("user:u-2")?.retryAfter).toBe("2026-12-01T10:40:00.000Z");
    expect(loadEscrow(db, "other").get("user:u-1")?.retryAfter).toBe("2026-12-01T10:40:00.000Z");
    const members = loadMembershipEscrow(db, "p");
    expect(members.get("g-1")?.get("u-1")?.retryAfter).toBe(clicked.toISOString());
    expect(members.get("g-1")?.get("u-2")?.retryAfter).toBe("2026-12-01T10:40:00.000Z");

    // A group: every refused member change of that group.
    expect(makeEscrowDue(db, "p", "group", "g-2", clicked)).toBe(true);
    expect(loadMembershipEscrow(db, "p").get("g-2")?.get("u-3")?.retryAfter).toBe(clicked.toISOString());
  });

  it("says so when the object is not held", () => {
    const db = openDatabase(":memory:");
    expect(makeEscrowDue(db, "p", "user", "u-9", clicked)).toBe(false);
  });
});
