import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScimServer, type ScimServer } from "../../../electron/emulators/scim/index";
import { createUser, filterQuery, scim } from "./helpers";

// The benchmarks' baseline: a target that, like those Entra is built for, must be asked one filtered GET per object.
let server: ScimServer;
let groupId: string;
beforeAll(async () => {
  server = await startScimServer({ requireFilter: true });
  await createUser(server, 1);
  groupId = (await scim(server, "POST", "/Groups", { displayName: "Sales" })).body.id;
});
afterAll(() => server.close());

describe("requireFilter", () => {
  it("refuses to list users or groups without a filter (400 tooMany)", async () => {
    for (const path of ["/Users", "/Users?startIndex=1&count=100", "/Groups?excludedAttributes=members"]) {
      const r = await scim(server, "GET", path);
      expect(r.status, path).toBe(400);
      expect(r.body).toMatchObject({ status: "400", scimType: "tooMany" });
    }
  });

  it("still answers filtered lookups, reads by id and writes", async () => {
    const found = await scim(server, "GET", `/Users?${filterQuery('userName eq "user1@contoso.com"')}`);
    expect(found.status).toBe(200);
    expect(found.body.totalResults).toBe(1);
    expect((await scim(server, "GET", `/Users/${found.body.Resources[0].id}`)).status).toBe(200);
    const group = await scim(
      server,
      "GET",
      `/Groups?excludedAttributes=members&${filterQuery('displayName eq "Sales"')}`,
    );
    expect(group.body.Resources.map((g: { id: string }) => g.id)).toEqual([groupId]);
    expect((await scim(server, "GET", `/Groups/${groupId}`)).status).toBe(200);
  });

  it("is off by default", async () => {
    const open = await startScimServer();
    try {
      expect((await scim(open, "GET", "/Users")).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
