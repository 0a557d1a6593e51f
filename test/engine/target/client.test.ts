import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHttpClient, type HttpClient } from "../../../electron/engine/http";
import {
  CORE_USER,
  PATCH_OP,
  SPLASHTOP_USER,
  ScimError,
  createScimClient,
  membershipOperations,
  toPatchOperations,
  toScimResource,
  type ScimClient,
} from "../../../electron/engine/target";
import { json, startServer } from "../http/local-server";
import { startTinyScim, type TinyScim } from "./tiny-scim";

let server: TinyScim;
let http: HttpClient;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  server = await startTinyScim({
    serviceProviderConfig: {
      patch: { supported: true },
      filter: { supported: true, maxResults: 50 },
      bulk: { supported: false, maxOperations: 500 },
    },
  });
  http = createHttpClient({ sleep: async () => {}, maxRetries: 1 });
  cleanups.push(
    () => server.close(),
    () => http.close(),
  );
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

function scim(overrides: Partial<Parameters<typeof createScimClient>[0]> = {}): ScimClient {
  return createScimClient({
    tenantUrl: `${server.tenantUrl}/`,
    token: server.token,
    dialect: "entra",
    preset: "splashtop",
    http,
    ...overrides,
  });
}

async function scimError(p: Promise<unknown>): Promise<ScimError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScimError);
  return err as ScimError;
}

const ann = () =>
  toScimResource("user", {
    userName: "ann@contoso.com",
    active: true,
    "name.familyName": "Lee",
    [`${SPLASHTOP_USER}:ssoName`]: "SSO",
  });

describe("requests", () => {
  it("creates a user with the exact body, SCIM content type and bearer token, and returns its id", async () => {
    const created = await scim().create("Users", ann());
    expect(created.id).toBe("id-1");
    const [req] = server.requests;
    expect(req).toMatchObject({ method: "POST", url: "/scim/v1/Users" });
    expect(req?.headers["content-type"]).toBe("application/scim+json");
    expect(req?.headers.authorization).toBe(`Bearer ${server.token}`);
    expect(JSON.parse(req?.body ?? "")).toEqual({
      schemas: [CORE_USER, SPLASHTOP_USER],
      userName: "ann@contoso.com",
      active: true,
      name: { familyName: "Lee" },
      [SPLASHTOP_USER]: { ssoName: "SSO" },
    });
  });

  it("reports a duplicate create as a conflict", async () => {
    const client = scim();
    await client.create("Users", ann());
    const err = await scimError(client.create("Users", ann()));
    expect(err).toMatchObject({
      kind: "conflict",
      code: "Conflict",
      status: 409,
      scimType: "uniqueness",
      detail: "userName already exists",
    });
  });

  it("finds by an escaped filter value containing quotes, a backslash and an apostrophe", async () => {
    const client = scim();
    const userName = `O'Brien "Bob" C:\\temp`;
    await client.create("Users", toScimResource("user", { userName }));
    await client.create("Users", toScimResource("user", { userName: "other" }));
    const found = await client.find("Users", "userName", userName);
    expect(found.map((u) => u.userName)).toEqual([userName]);
    const sent = new URL(server.requests.at(-1)?.url ?? "", "http://x").searchParams.get("filter");
    expect(sent).toBe(`userName eq "O'Brien \\"Bob\\" C:\\\\temp"`);
  });

  it("looks groups up without their members", async () => {
    await scim().find("Groups", "displayName", "Sales");
    expect(server.requests[0]?.url).toBe(
      `/scim/v1/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Sales"')}`,
    );
  });

  it("sends PATCH operations in a PatchOp message, one request per member batch", async () => {
    const client = scim();
    const user = await client.create("Users", ann());
    const group = await client.create(
      "Groups",
      toScimResource("group", { displayName: "Sales", members: [{ value: user.id }] }),
    );
    expect(server.bodies("POST", "/Groups")).toEqual([
      { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Sales" },
    ]);

    await client.patch(
      "Users",
      user.id,
      toPatchOperations(
        [
          { path: "name.familyName", value: "Smith" },
          { path: "active", value: false },
        ],
        "entra",
      ),
    );
    for (const ops of membershipOperations(["u1", "u2", "u3"], ["u4"], "entra", 2))
      await client.patch("Groups", group.id, ops);
    expect(server.bodies("PATCH", "/Users")).toEqual([
      {
        schemas: [PATCH_OP],
        Operations: [
          { op: "Replace", path: "name.familyName", value: "Smith" },
          { op: "Replace", path: "active", value: "False" },
        ],
      },
    ]);
    expect(server.bodies("PATCH", "/Groups")).toEqual([
      { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: [{ value: "u1" }, { value: "u2" }] }] },
      {
        schemas: [PATCH_OP],
        Operations: [
          { op: "Add", path: "members", value: [{ value: "u3" }] },
          { op: "Remove", path: "members", value: [{ value: "u4" }] },
        ],
      },
    ]);
    expect(client.requestCount).toBe(5);
  });

  it("treats an object gone from the target as notFound (InvalidAnchor) and get() as null", async () => {
    const client = scim();
    expect(await client.get("Users", "gone")).toBeNull();
    expect(
      await scimError(client.patch("Users", "gone", [{ op: "Replace", path: "active", value: "False" }])),
    ).toMatchObject({ kind: "notFound", code: "InvalidAnchor", status: 404 });
    expect(await scimError(client.delete("Groups", "gone"))).toMatchObject({ kind: "notFound", code: "InvalidAnchor" });
    const user = await client.create("Users", ann());
    await client.delete("Users", user.id);
    expect(server.users.size).toBe(0);
  });

  it("pages through startIndex/count until totalResults", async () => {
    const client = scim();
    for (let i = 0; i < 7; i++) await client.create("Users", toScimResource("user", { userName: `u${i}` }));
    const pages: number[] = [];
    for await (const page of client.listAll("Users", { pageSize: 3 })) pages.push(page.length);
    expect(pages).toEqual([3, 3, 1]);
    const listed = server.requests.filter((r) => r.method === "GET").map((r) => r.url);
    expect(listed).toEqual([
      "/scim/v1/Users?startIndex=1&count=3",
      "/scim/v1/Users?startIndex=4&count=3",
      "/scim/v1/Users?startIndex=7&count=3",
    ]);
  });
});

describe("errors an admin sees", () => {
  it("401 with the Splashtop preset says where to get a new token", async () => {
    const err = await scimError(scim({ token: "wrong" }).create("Users", ann()));
    expect(err).toMatchObject({ kind: "unauthorized", code: "Unauthorized", status: 401 });
    expect(err.message).toBe(
      "Splashtop rejected the token (401). Generate a new SCIM token in the Splashtop web portal and paste it in Connections → Target.",
    );
    const generic = await scimError(scim({ token: "wrong", preset: "generic" }).find("Users", "userName", "x"));
    expect(generic.message).toMatch(/^The SCIM app rejected the token \(401\)\. /);
  });

  it("maps invalid paths, throttling, server errors and unreachable targets", async () => {
    const client = scim();
    server.failNext(400, "Attribute 'foo' is not supported", "invalidPath");
    expect(await scimError(client.create("Users", ann()))).toMatchObject({
      kind: "invalid",
      code: "SchemaAttributeNotFound",
    });
    server.failNext(500, "boom");
    expect(await scimError(client.delete("Users", "x"))).toMatchObject({
      kind: "server",
      code: "ServerError",
      detail: "boom",
      mayHaveBeenApplied: false,
    });
    server.failNext(504, "gateway timeout"); // not retried for POST: the user may exist now
    expect(await scimError(client.create("Users", ann()))).toMatchObject({
      kind: "server",
      status: 504,
      mayHaveBeenApplied: true,
    });
    server.failNext(429, "slow down"); // one 429: the HTTP layer's retry succeeds
    expect(await client.find("Users", "userName", "x")).toEqual([]);
    server.failNext(429, "slow down");
    server.failNext(429, "slow down"); // still throttled after the retry (maxRetries 1)
    expect(await scimError(client.find("Users", "userName", "x"))).toMatchObject({
      kind: "throttled",
      code: "TooManyRequests",
      status: 429,
    });
    const closed = await startServer(() => {});
    const deadUrl = `${closed.url}/scim/v1`;
    await closed.close();
    const err = await scimError(scim({ tenantUrl: deadUrl }).find("Users", "userName", "x"));
    expect(err).toMatchObject({ kind: "network", code: "NetworkError" });
    expect(err.message).toMatch(/refused the connection/);
  });

  it("explains a Splashtop 400 about the SSO method", async () => {
    server.failNext(400, "ssoName does not match any SSO method", "invalidValue");
    const err = await scimError(scim().create("Users", ann()));
    expect(err.code).toBe("InvalidValue");
    expect(err.message).toContain('It said: "ssoName does not match any SSO method"');
    expect(err.recommendation).toContain("exact name of the team's SSO method");
  });
});

describe("connection and capabilities", () => {
  it("tests the connection with a random userName and reads the capabilities once", async () => {
    const client = scim();
    const checks = await client.testConnection();
    expect(checks.map((c) => c.ok)).toEqual([true, true]);
    expect(checks[1]?.message).toBe("PATCH supported, filtering supported, up to 500 operations per request.");
    const filter = new URL(server.requests[0]?.url ?? "", "http://x").searchParams.get("filter");
    expect(filter).toMatch(/^userName eq "[0-9a-f-]{36}"$/);
    expect(await client.serviceProviderConfig()).toEqual({
      patch: true,
      filter: true,
      filterMaxResults: 50,
      bulkMaxOperations: 500,
    });
    expect(server.requests.filter((r) => r.url.endsWith("/ServiceProviderConfig"))).toHaveLength(1);
  });

  it("fails the check with the admin message on a bad token, and on a URL that is not SCIM", async () => {
    const bad = await scim({ token: "wrong" }).testConnection();
    expect(bad).toEqual([
      {
        name: "Token and tenant URL",
        ok: false,
        message: expect.stringContaining("Splashtop rejected the token (401)"),
        detail: "Invalid token",
        refused: true,
      },
    ]);
    const wrongUrl = await scim({ tenantUrl: `${server.url}/nope` }).testConnection();
    expect(wrongUrl[0]?.ok).toBe(false);
    expect(wrongUrl[0]?.message).toContain("not a SCIM endpoint");
  });

  it("assumes PATCH and filtering when ServiceProviderConfig is not published", async () => {
    const bare = await startTinyScim();
    cleanups.push(() => bare.close());
    const client = createScimClient({
      tenantUrl: bare.tenantUrl,
      token: bare.token,
      dialect: "entra",
      preset: "generic",
      http,
    });
    expect(await client.serviceProviderConfig()).toEqual({ patch: true, filter: true });
  });
});

describe("discoverSchema", () => {
  it("lists writable, required and matchable attributes from /Schemas and /ResourceTypes", async () => {
    const ext = "urn:example:params:scim:schemas:extension:acme:2.0:User";
    const schemas = [
      {
        id: CORE_USER,
        attributes: [
          { name: "id", type: "string", mutability: "readOnly" },
          { name: "userName", type: "string", required: true, uniqueness: "server" },
          {
            name: "name",
            type: "complex",
            subAttributes: [
              { name: "givenName", type: "string" },
              { name: "formatted", type: "string", mutability: "readOnly" },
            ],
          },
          {
            name: "emails",
            type: "complex",
            multiValued: true,
            subAttributes: [
              { name: "value", type: "string" },
              { name: "type", type: "string", canonicalValues: ["work", "home"] },
              { name: "primary", type: "boolean" },
            ],
          },
          { name: "groups", type: "complex", multiValued: true, mutability: "readOnly" },
        ],
      },
      { id: ext, attributes: [{ name: "badge", type: "string", uniqueness: "global", required: true }] },
      { id: "urn:ietf:params:scim:schemas:core:2.0:Group", attributes: [{ name: "displayName", type: "string" }] },
    ];
    const s = await startServer((req, res) => {
      if (req.url.endsWith("/Schemas")) return json(res, 200, { totalResults: schemas.length, Resources: schemas });
      if (req.url.endsWith("/ResourceTypes"))
        return json(res, 200, {
          Resources: [
            { id: "User", endpoint: "/Users", schema: CORE_USER, schemaExtensions: [{ schema: ext, required: false }] },
          ],
        });
      json(res, 404, {});
    });
    cleanups.push(() => s.close());
    const client = createScimClient({ tenantUrl: s.url, token: "t", dialect: "rfc7644", preset: "generic", http });
    expect(await client.discoverSchema("Users")).toEqual({
      attributes: [
        "userName",
        "name.givenName",
        'emails[type eq "work"].value',
        'emails[type eq "home"].value',
        `${ext}:badge`,
        "externalId",
      ],
      requiredAttributes: ["userName", `${ext}:badge`],
      filterableAttributes: ["userName", `${ext}:badge`, "externalId"],
    });
  });

  it("falls back to Splashtop's documented attributes, and tells a generic admin to enter paths by hand", async () => {
    expect((await scim().discoverSchema("Users")).filterableAttributes).toEqual(["userName"]);
    const err = await scimError(scim({ preset: "generic" }).discoverSchema("Users"));
    expect(err.message).toContain("does not publish its schema");
  });
});
