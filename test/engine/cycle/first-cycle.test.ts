import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actualTarget, expectedTarget, startWorld, targetWrites, type World } from "./harness";

describe("first and second cycle", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ users: 80 });
  });
  afterAll(() => w.close());

  it("a first cycle leaves the target holding exactly the expected users, groups and memberships", async () => {
    const { summary } = await w.run();
    expect(summary.error).toBeNull();
    expect(summary.outcome).toBe("succeeded");
    expect(summary.kind).toBe("initial");
    const expected = expectedTarget(w.graphEmu);
    expect(expected.users.length).toBeGreaterThan(5);
    expect(actualTarget(w.scimSrv)).toEqual(expected);
    expect(summary.counts.users.create).toBe(expected.users.length);
    expect(summary.counts.groups.create).toBe(expected.groups.length);
  });
});
