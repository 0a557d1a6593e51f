import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPLASHTOP_USER_SCHEMA, startScimServer, type ScimServer } from "../../../electron/emulators/scim/index";
import { createUser, filterQuery, scim } from "./helpers";

let server: ScimServer;
let ids: string[];
beforeAll(async () => {
  server = await startScimServer({ maxPageSize: 10, defaultPageSize: 4, bulkMaxOperations: 50 });
  ids = [];
  for (let n = 1; n <= 25; n++) ids.push(await createUser(server, n));
});
afterAll(() => server.close());

const page = async (query: string) => (await scim(server, "GET", `/Users?${query}`)).body;
const pageIds = (body: { Resources: { id: string }[] }) => body.Resources.map((r) => r.id);

describe("paging (RFC 7644 §3.4.2.4)", () => {
  it("uses the default page size without count and reports totalResults, itemsPerPage and startIndex", async () => {
    const body = await page("");
    expect(body).toMatchObject({ totalResults: 25, itemsPerPage: 4, startIndex: 1 });
    expect(pageIds(body)).toEqual(ids.slice(0, 4));
  });

  it("walks every user exactly once with startIndex/count, including pages that start inside count", async () => {
    const seen: string[] = [];
    for (let start = 1; start <= 25; start += 7) seen.push(...pageIds(await page(`startIndex=${start}&count=7`)));
    expect(seen).toEqual(ids);
    expect(pageIds(await page("startIndex=3&count=5"))).toEqual(ids.slice(2, 7));
  });

  it("caps count at maxPageSize, treats startIndex < 1 as 1 and count < 0 as 0", async () => {
    expect(await page("count=500")).toMatchObject({ itemsPerPage: 10, totalResults: 25 });
    expect(pageIds(await page("startIndex=0&count=2"))).toEqual(ids.slice(0, 2));
    expect(await page("count=-3")).toMatchObject({ itemsPerPage: 0, totalResults: 25, Resources: [] });
    expect(await page("startIndex=26")).toMatchObject({ itemsPerPage: 0, totalResults: 25, startIndex: 26 });
  });

  it("pages a filtered result and projects attributes", async () => {
    const body = await page(`${filterQuery('active eq true and name.familyName eq "family7"')}&attributes=userName`);
    expect(body.totalResults).toBe(1);
    expect(body.Resources).toEqual([{ id: ids[6], userName: "user7@contoso.com" }]);
    const other = await page(`${filterQuery('userName sw "user2"')}&count=10`);
    expect(other.totalResults).toBe(7); // user2, user20..user25
  });

  it("filters on the extension attribute", async () => {
    const body = await page(filterQuery(`${SPLASHTOP_USER_SCHEMA}:ssoName eq "contoso sso"`));
    expect(body.totalResults).toBe(25);
  });
});

describe("discovery", () => {
  it("advertises patch, filter.maxResults = maxPageSize and bulk.maxOperations from the options", async () => {
    const r = await scim(server, "GET", "/ServiceProviderConfig");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      patch: { supported: true },
      filter: { supported: true, maxResults: 10 },
      bulk: { supported: false, maxOperations: 50 },
      authenticationSchemes: [{ type: "oauthbearertoken" }],
    });
    expect((await scim(server, "POST", "/Bulk", { Operations: [] })).status).toBe(501);
  });

  it("lists the User resource type with the Splashtop extension and its schema", async () => {
    const types = await scim(server, "GET", "/ResourceTypes");
    const user = types.body.Resources.find((t: { id: string }) => t.id === "User");
    expect(user.schemaExtensions).toEqual([{ schema: SPLASHTOP_USER_SCHEMA, required: false }]);
    expect(types.body.Resources.map((t: { id: string }) => t.id)).toContain("Group");
    const schema = await scim(server, "GET", `/Schemas/${SPLASHTOP_USER_SCHEMA}`);
    expect(schema.body.attributes.map((a: { name: string }) => a.name)).toEqual(["ssoName"]);
    const core = await scim(server, "GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
    expect(core.body.attributes.map((a: { name: string }) => a.name)).toEqual([
      "userName",
      "name",
      "displayName",
      "active",
      "emails",
    ]);
  });

  it("answers unknown paths outside the base path with a SCIM 404", async () => {
    const r = await fetch(server.tenantUrl.replace("/scim/v1", "/other"));
    expect(r.status).toBe(404);
    expect(((await r.json()) as { schemas: string[] }).schemas).toEqual([
      "urn:ietf:params:scim:api:messages:2.0:Error",
    ]);
  });
});
