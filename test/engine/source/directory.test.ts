// Assignments of the enterprise app, single-user lookups, group members (direct and nested) and the group list,
// read from the Graph emulator, plus the Graph client's error envelope and token handling.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GraphError,
  SourceConfigError,
  createGraphClient,
  getUser,
  listGroupMembers,
  listGroups,
  readAssignments,
  transitiveMemberIds,
} from "../../../electron/engine/source";
import { startGraphEmulator, type GraphEmulator } from "../../../electron/emulators/graph";
import { connect } from "./helpers";

let emu: GraphEmulator;
let source: ReturnType<typeof connect>;
beforeAll(async () => {
  emu = await startGraphEmulator({ pageSize: 4 });
  source = connect(emu);
});
afterAll(() => emu?.close());

describe("readAssignments", () => {
  it("lists the users and groups assigned to the enterprise app across pages", async () => {
    const extra = emu.admin.listUsers().slice(0, 6);
    for (const u of extra) emu.admin.assign(u.id);
    const expected = emu.admin.listAssignments();
    const result = await readAssignments(source.graph, emu.appId, emu.tenantId);
    expect(result.servicePrincipalId).toBe(emu.admin.app.servicePrincipalId);
    expect([...result.userIds].sort()).toEqual(
      expected
        .filter((a) => a.principalType === "User")
        .map((a) => a.principalId)
        .sort(),
    );
    expect([...result.groupIds].sort()).toEqual(
      expected
        .filter((a) => a.principalType === "Group")
        .map((a) => a.principalId)
        .sort(),
    );
    expect(expected.length).toBeGreaterThan(4); // more than one page
  });

  it("says which app id was not found in which tenant", async () => {
    const missing = "99999999-9999-9999-9999-999999999999";
    const err = await readAssignments(source.graph, missing, emu.tenantId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceConfigError);
    expect((err as Error).message).toBe(
      `No enterprise application with appId ${missing} was found in tenant ${emu.tenantId}. Check the App (client) ID of the enterprise app in Connections → Source.`,
    );
  });
});

describe("lookups", () => {
  it("finds a user by id and by UPN, guests (#EXT#) included, and answers null for nobody", async () => {
    const guest = emu.admin.listUsers().find((u) => u.userPrincipalName.includes("#EXT#"))!;
    expect(await getUser(source.graph, guest.userPrincipalName, ["id", "displayName"])).toEqual({
      id: guest.id,
      displayName: guest.displayName,
    });
    expect(await getUser(source.graph, guest.id, ["userPrincipalName"])).toEqual({
      userPrincipalName: guest.userPrincipalName,
    });
    expect(await getUser(source.graph, "nobody@contoso.com", ["id"])).toBeNull();
  });

  it("gives a user's manager as an object id, as the delta readers do", async () => {
    const [worker, boss, loner] = emu.admin.listUsers().slice(20, 23);
    emu.admin.setManager(worker!.id, boss!.id);
    emu.admin.setManager(loner!.id, null);
    expect(await getUser(source.graph, worker!.userPrincipalName, ["displayName", "manager"])).toEqual({
      displayName: worker!.displayName,
      manager: boss!.id,
    });
    expect(await getUser(source.graph, loner!.id, ["manager"])).toEqual({ id: loner!.id, manager: null });
  });

  it("uses the users('...') form Graph requires for a UPN that starts with $", async () => {
    const asked: string[] = [];
    const recorder = {
      requestCount: 0,
      pages: async function* () {},
      get: async <T>(path: string) => (asked.push(path), { id: "x" } as T),
      post: () => Promise.reject(new Error("not used")),
    };
    await getUser(recorder, "$adele's@contoso.com", ["id"]);
    expect(asked).toEqual(["/users('%24adele''s%40contoso.com')?$select=id"]);
  });

  it("lists direct members with their type, and users of nested groups", async () => {
    const [a, b, c] = emu.admin.listUsers();
    const inner = emu.admin.createGroup({ displayName: "Inner", members: [b!.id, c!.id] });
    const outer = emu.admin.createGroup({ displayName: "Outer", members: [a!.id, inner.id] });
    expect(await listGroupMembers(source.graph, outer.id)).toEqual([
      { id: a!.id, type: "user" },
      { id: inner.id, type: "group" },
    ]);
    expect(await transitiveMemberIds(source.graph, outer.id)).toEqual(new Set([a!.id, b!.id, c!.id]));
  });

  it("lists every group for the scope picker", async () => {
    const groups = await listGroups(source.graph, ["id", "displayName"]);
    expect(groups.map((g) => g.id).sort()).toEqual(
      emu.admin
        .listGroups()
        .map((g) => g.id)
        .sort(),
    );
  });
});

describe("createGraphClient", () => {
  it("turns Graph's error envelope into a GraphError carrying code and both request ids", async () => {
    const before = emu.requests.length;
    const err = await source.graph.get("/groups/not-a-group").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphError);
    const recorded = emu.requests[before]!;
    expect(err).toMatchObject({
      status: 404,
      code: "Request_ResourceNotFound",
      requestId: recorded.requestId,
      clientRequestId: recorded.clientRequestId,
    });
    expect((err as GraphError).message).toContain(recorded.requestId);
  });

  it("fetches a new token once when Graph refuses the cached one", async () => {
    await source.graph.get("/users?$top=1");
    emu.admin.expireAccessTokens();
    const issued = emu.counters().tokensIssued;
    await expect(source.graph.get("/users?$top=1")).resolves.toMatchObject({ value: expect.any(Array) });
    expect(emu.counters().tokensIssued).toBe(issued + 1);
  });

  it("never sends the token to a link outside Graph", async () => {
    const graph = createGraphClient({
      graphBaseUrl: emu.graphBaseUrl,
      tokens: { getToken: async () => "t" },
      http: source.http,
    });
    await expect(graph.get("https://evil.example/v1.0/users")).rejects.toThrow(/outside/);
    expect(graph.requestCount).toBe(0);
  });
});
