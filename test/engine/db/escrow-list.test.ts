import { describe, expect, it } from "vitest";
import { escrowFailure, listEscrow, openDatabase, saveMirror } from "../../../electron/engine/db";

const now = new Date("2026-12-01T10:00:00.000Z");

describe("escrow list (the window's view of held objects)", () => {
  it("names each object from the Entra mirror, with its last error and next attempt, soonest first", () => {
    const db = openDatabase(":memory:");
    saveMirror(
      db,
      "p",
      "user",
      [{ type: "user", id: "u-1", attributes: { displayName: "Björn Åström" }, removed: null }],
      true,
    );
    escrowFailure(db, "p", "user", "u-1", "400 invalidValue: userName", now);
    escrowFailure(db, "p", "user", "u-1", "400 invalidValue: userName again", now);
    escrowFailure(db, "p", "group", "g-gone", "409 uniqueness", now, { lasting: true });
    escrowFailure(db, "other", "user", "u-9", "not this profile", now);

    expect(listEscrow(db, "p")).toEqual([
      {
        type: "group",
        sourceId: "g-gone",
        displayName: "g-gone",
        error: "409 uniqueness",
        attempts: 1,
        nextAttemptAt: "2026-12-01T10:40:00.000Z",
      },
      {
        type: "user",
        sourceId: "u-1",
        displayName: "Björn Åström",
        error: "400 invalidValue: userName again",
        attempts: 2,
        nextAttemptAt: "2026-12-01T10:40:00.000Z",
      },
    ]);
  });
});
