// Merging rules of the delta readers on scripted Graph pages: replays, groups spread across pages,
// removal annotations, rejected links. The emulator tests cover the same readers end to end.
import { describe, expect, it } from "vitest";
import { GraphError, readGroupsDelta, readUsersDelta } from "../../../electron/engine/source";
import { replayingUsers, scripted } from "./helpers";

const BASE = "https://graph.test/v1.0";

const rejected = (status: number, code: string) =>
  new GraphError({ status, code, graphMessage: "gone", method: "GET", path: "/x", clientRequestId: "c" });

describe("readUsersDelta", () => {
  it("merges replays: latest removed state wins, attributes accumulate, a restored user has no removed", async () => {
    const client = scripted(replayingUsers());
    const result = await readUsersDelta(client, { select: ["displayName", "accountEnabled"] });
    expect(result).toMatchObject({ full: true, resynced: false, deltaLink: `${BASE}/users/delta?$deltatoken=d1` });
    expect(result.users.get("u1")).toEqual({ id: "u1", attributes: { displayName: "Ann", accountEnabled: false } });
    expect(result.users.get("u2")).toEqual({ id: "u2", attributes: { displayName: "Bob" } });
    expect(result.users.get("u3")).toEqual({ id: "u3", removed: "deleted" });
    // Query parameters only on the first call; continuation links used whole.
    expect(client.asked).toEqual([
      "/users/delta?$select=displayName,accountEnabled",
      `${BASE}/users/delta?$skiptoken=a`,
      `${BASE}/users/delta?$skiptoken=b`,
    ]);
  });

  it.each([
    [410, "syncStateNotFound"],
    [400, "SyncStateNotFound"],
    [400, "resyncRequired"],
  ])("restarts with a full read when the stored link is rejected (%i %s)", async (status, code) => {
    const old = `${BASE}/users/delta?$deltatoken=old`;
    const client = scripted({
      [old]: rejected(status, code),
      "/users/delta?$select=id": { value: [{ id: "u1" }], "@odata.deltaLink": `${BASE}/users/delta?$deltatoken=new` },
    });
    const result = await readUsersDelta(client, { select: ["id"], deltaLink: old });
    expect(result).toMatchObject({ full: true, resynced: true, deltaLink: `${BASE}/users/delta?$deltatoken=new` });
    expect([...result.users.keys()]).toEqual(["u1"]);
  });

  it("passes other Graph errors through and does not restart", async () => {
    const old = `${BASE}/users/delta?$deltatoken=old`;
    const client = scripted({ [old]: rejected(403, "Authorization_RequestDenied") });
    await expect(readUsersDelta(client, { select: ["id"], deltaLink: old })).rejects.toMatchObject({
      code: "Authorization_RequestDenied",
    });
    expect(client.asked).toEqual([old]);
  });

  it("drops items of an abandoned round when a next link expires mid-read", async () => {
    const client = scripted({
      [`${BASE}/users/delta?$deltatoken=old`]: {
        value: [{ id: "stale" }],
        "@odata.nextLink": `${BASE}/users/delta?$skiptoken=x`,
      },
      [`${BASE}/users/delta?$skiptoken=x`]: rejected(410, "syncStateNotFound"),
      "/users/delta?$select=id": { value: [{ id: "u1" }], "@odata.deltaLink": `${BASE}/users/delta?$deltatoken=new` },
    });
    const result = await readUsersDelta(client, { select: ["id"], deltaLink: `${BASE}/users/delta?$deltatoken=old` });
    expect(result.resynced).toBe(true);
    expect([...result.users.keys()]).toEqual(["u1"]);
  });

  it("fails clearly when a page carries neither link", async () => {
    const client = scripted({ "/users/delta?$select=id": { value: [] } });
    await expect(readUsersDelta(client, { select: ["id"] })).rejects.toThrow(
      /without @odata.nextLink or @odata.deltaLink/,
    );
  });
});

describe("readGroupsDelta", () => {
  it("merges a group spread across pages and keeps the last add or remove of each member", async () => {
    const user = (id: string, removed = false) => ({
      "@odata.type": "#microsoft.graph.user",
      id,
      ...(removed ? { "@removed": { reason: "deleted" } } : {}),
    });
    const client = scripted({
      "/groups/delta?$select=displayName,members": {
        value: [
          {
            id: "g1",
            displayName: "Sales",
            "members@delta": [user("a"), user("b"), { "@odata.type": "#microsoft.graph.group", id: "g2" }],
          },
        ],
        "@odata.nextLink": `${BASE}/groups/delta?$skiptoken=1`,
      },
      [`${BASE}/groups/delta?$skiptoken=1`]: {
        value: [
          {
            id: "g1",
            "members@delta": [user("b", true), user("c"), { "@odata.type": "#microsoft.graph.device", id: "d1" }],
          },
          { id: "g3", "@removed": { reason: "changed" } },
          { id: "g1", "members@delta": [user("x", true), user("x")] },
        ],
        "@odata.deltaLink": `${BASE}/groups/delta?$deltatoken=t`,
      },
    });
    const result = await readGroupsDelta(client, { select: ["displayName", "members"] });
    expect(result.groups.get("g1")).toEqual({
      id: "g1",
      attributes: { displayName: "Sales" },
      members: {
        added: [
          { id: "a", type: "user" },
          { id: "g2", type: "group" },
          { id: "c", type: "user" },
          { id: "d1", type: "other" },
          { id: "x", type: "user" },
        ],
        removed: ["b"],
      },
    });
    expect(result.groups.get("g3")).toEqual({ id: "g3", removed: "changed", members: { added: [], removed: [] } });
  });
});
