// A real cycle's read of every user goes to the staging table as Graph's pages arrive (readSource with stage): the
// staged users must be what the in-memory read gives, replays and users Graph no longer lists included.
import { describe, expect, it } from "vitest";
import { getMirrorObjects, loadMirror, openDatabase, saveMirror } from "../../../electron/engine/db";
import type { SourceObject } from "../../../electron/engine/db/types";
import { readSource } from "../../../electron/engine/cycle/read";
import { GraphError } from "../../../electron/engine/source";
import { GRAPH_BASE as BASE, replayingUsers, scripted } from "../source/helpers";
import { ProfileSchema } from "../../../shared/config/profile";

const profile = ProfileSchema.parse({
  name: "p",
  source: { tenantId: "t", clientId: "c", appId: "a", scope: "all" },
  target: { tenantUrl: "https://scim.test/scim/v2", ssoMethodName: "SSO" },
});
const select = { users: ["displayName", "accountEnabled"], groups: ["displayName"] };

const groupsPage = { "/groups/delta?$select=displayName,members": { value: [], "@odata.deltaLink": `${BASE}/g` } };
const usersScript = () => ({ ...groupsPage, ...replayingUsers() });

const byId = (objects: Iterable<SourceObject>) => [...objects].sort((a, b) => a.id.localeCompare(b.id));

describe("a staged read of every user", () => {
  it("stages what the in-memory read holds: replays merged, users no longer listed soft-deleted", async () => {
    const gone: SourceObject = { type: "user", id: "u0", attributes: { displayName: "Gone" }, removed: null };
    const inMemory = openDatabase(":memory:");
    const staged = openDatabase(":memory:");
    for (const db of [inMemory, staged]) saveMirror(db, profile.name, "user", [gone], true);

    const held = await readSource(inMemory, profile, scripted(usersScript()), select, true);
    const streamed = await readSource(staged, profile, scripted(usersScript()), select, true, undefined, true);

    expect(held.usersStaged).toBeUndefined();
    expect(streamed.usersStaged).toBe(true);
    expect(streamed.users.size).toBe(0);
    expect(streamed.deltaLinks.users).toBe(`${BASE}/users/delta?$deltatoken=d1`);
    expect(byId(loadMirror(staged, profile.name, "user", "staged").values())).toEqual(byId(held.users.values()));
    expect(getMirrorObjects(staged, profile.name, "user", ["u0", "u1"], "staged")).toEqual(
      new Map([
        ["u0", { ...gone, removed: "changed" }],
        ["u1", { type: "user", id: "u1", attributes: { displayName: "Ann", accountEnabled: false }, removed: null }],
      ]),
    );
  });

  it("drops what was staged when Graph makes the round start again", async () => {
    const db = openDatabase(":memory:");
    const script: Record<string, unknown> = usersScript();
    const next = `${BASE}/users/delta?$skiptoken=b`;
    // The continuation link expires mid-round: Graph answers 410 and the read starts again from the first page.
    const expired = new GraphError({
      status: 410,
      code: "syncStateNotFound",
      graphMessage: "gone",
      method: "GET",
      path: "/users/delta",
      clientRequestId: "c",
    });
    script[next] = [expired, { value: [{ id: "u4", displayName: "Dee" }], "@odata.deltaLink": `${BASE}/d2` }];
    // Left the directory between the two rounds: only the abandoned round listed them (enough to be staged already).
    const first = "/users/delta?$select=displayName,accountEnabled";
    const page = script[first] as { value: object[] };
    const left = Array.from({ length: 1000 }, (_, i) => ({ id: `x${i}`, displayName: "Left" }));
    script[first] = [{ ...page, value: [...page.value, ...left] }, page];
    const streamed = await readSource(db, profile, scripted(script), select, true, undefined, true);
    expect(streamed.resynced).toBe(true);
    expect([...loadMirror(db, profile.name, "user", "staged").keys()].sort()).toEqual(["u1", "u2", "u4"]);
    expect(loadMirror(db, profile.name, "user", "staged").get("u1")!.attributes).toEqual({
      displayName: "Ann",
      accountEnabled: true,
    });
  });
});
