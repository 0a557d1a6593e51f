import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listLogEntries } from "../../../electron/engine/db";
import { startWorld, type World } from "./harness";

describe("request ids on log entries", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ users: 40 });
  });
  afterAll(() => w.close());

  it("each object's entry quotes the client-request-id of its own request, never another object's", async () => {
    const { summary } = await w.run();
    expect(summary.outcome).toBe("succeeded");
    const entries = listLogEntries(w.db, w.profile.name, { cycleId: summary.id, limit: 1000 });
    const creates = entries.filter((e) => e.action === "Create");
    expect(creates.length).toBe(summary.counts.users.create + summary.counts.groups.create);
    const ids = creates.map((e) => e.requestIds);
    // One POST per create (applied 8 at a time): exactly one id each, all different.
    for (const list of ids) expect(list).toEqual([expect.stringMatching(/^client-request-id [0-9a-f-]{36}$/)]);
    expect(new Set(ids.flat()).size).toBe(creates.length);
  });
});
