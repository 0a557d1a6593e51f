import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CORE_USER_SCHEMA,
  ERROR_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  SPLASHTOP_USER_SCHEMA,
  startScimServer,
  type ScimServer,
} from "../../../electron/emulators/scim/index";
import { createUser, entraUser, filterQuery, patchOp, scim } from "./helpers";

let server: ScimServer;
beforeAll(async () => {
  server = await startScimServer({ token: "secret-token" });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe("Entra's user requests (default mode)", () => {
  it("answers the test connection (random GUID userName) with 200 and an empty ListResponse", async () => {
    const r = await scim(server, "GET", `/Users?${filterQuery(`userName eq "${crypto.randomUUID()}"`)}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    });
  });

  it("creates a user from Entra's POST body: 201, Location, server id, meta, Splashtop ssoName kept", async () => {
    const r = await scim(server, "POST", "/Users", entraUser(1, "Contoso SSO (Okta)"));
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get("location")).toBe(`${server.tenantUrl}/Users/${id}`);
    expect(r.headers.get("content-type")).toContain("application/scim+json");
    expect(r.body.schemas).toEqual([CORE_USER_SCHEMA, SPLASHTOP_USER_SCHEMA]);
    expect(r.body.meta).toMatchObject({
      resourceType: "User",
      location: `${server.tenantUrl}/Users/${id}`,
      version: 'W/"1"',
    });
    expect(r.body.meta.created).toBe(r.body.meta.lastModified);
    expect(r.body[SPLASHTOP_USER_SCHEMA]).toEqual({ ssoName: "Contoso SSO (Okta)" });
    const [stored] = server.listUsers();
    expect(stored).toMatchObject({
      id,
      userName: "user1@contoso.com",
      externalId: "user1",
      active: true,
      name: { givenName: "Given1", familyName: "Family1" },
      emails: [{ value: "user1@contoso.com", type: "work", primary: true }],
      [SPLASHTOP_USER_SCHEMA]: { ssoName: "Contoso SSO (Okta)" },
    });
    expect(stored?.name).not.toHaveProperty("formatted"); // Splashtop keeps givenName and familyName only
  });

  it("finds the user by userName case-insensitively (caseExact false) and by an escaped quote", async () => {
    const id1 = await createUser(server, 1);
    const id = await createUser(server, 'o"brien');
    const upper = await scim(server, "GET", `/Users?${filterQuery('userName eq "USER1@CONTOSO.COM"')}`);
    expect(upper.body.Resources.map((u: { id: string }) => u.id)).toEqual([id1]);
    const r = await scim(server, "GET", `/Users?${filterQuery('userName eq "USERO\\"BRIEN@contoso.com"')}`);
    expect(r.status).toBe(200);
    expect(r.body.totalResults).toBe(1);
    expect(r.body.Resources[0].id).toBe(id);
  });

  it("rejects a second user with the same userName in another case: 409 uniqueness", async () => {
    await createUser(server, 1);
    const r = await scim(server, "POST", "/Users", { ...entraUser(2), userName: "USER1@contoso.com" });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: "409", scimType: "uniqueness" });
    expect(server.listUsers()).toHaveLength(1);
  });

  it('applies Entra\'s update PATCH: name.familyName, emails[type eq "work"].value and the extension path', async () => {
    const id = await createUser(server, 1);
    const r = await scim(
      server,
      "PATCH",
      `/Users/${id}`,
      patchOp(
        { op: "Replace", path: "name.familyName", value: "Smith" },
        { op: "Replace", path: 'emails[type eq "work"].value', value: "new@contoso.com" },
        { op: "Replace", path: `${SPLASHTOP_USER_SCHEMA}:ssoName`, value: "Other SSO" },
      ),
    );
    expect(r.status).toBe(200);
    expect(r.body.meta.version).toBe('W/"2"');
    const [u] = server.listUsers();
    expect(u?.name).toEqual({ givenName: "Given1", familyName: "Smith" });
    expect(u?.emails).toEqual([{ value: "new@contoso.com", type: "work", primary: true }]);
    expect(u?.[SPLASHTOP_USER_SCHEMA]).toEqual({ ssoName: "Other SSO" });
  });

  it('disables with Entra\'s default {"op":"Replace","path":"active","value":"False"} and re-enables with "True"', async () => {
    const id = await createUser(server, 1);
    const off = await scim(server, "PATCH", `/Users/${id}`, patchOp({ op: "Replace", path: "active", value: "False" }));
    expect(off.status).toBe(200);
    expect(server.listUsers()[0]?.active).toBe(false);
    await scim(server, "PATCH", `/Users/${id}`, patchOp({ op: "Replace", path: "active", value: "True" }));
    expect(server.listUsers()[0]?.active).toBe(true);
    // The recorder keeps the request as Entra sent it, not the normalised form.
    const sent = server.requests.find((q) => q.method === "PATCH")?.body as { Operations: { value: unknown }[] };
    expect(sent.Operations[0]?.value).toBe("False");
  });

  it("accepts Add and Replace of a work email the user does not have yet", async () => {
    const { emails: _e, ...noEmail } = entraUser(1);
    const id = (await scim(server, "POST", "/Users", noEmail)).body.id as string;
    const r = await scim(
      server,
      "PATCH",
      `/Users/${id}`,
      patchOp({ op: "Replace", path: 'emails[type eq "work"].value', value: "a@contoso.com" }),
    );
    expect(r.status).toBe(200);
    expect(server.listUsers()[0]?.emails).toEqual([{ type: "work", value: "a@contoso.com" }]);
    const id2 = (await scim(server, "POST", "/Users", { ...noEmail, userName: "two@contoso.com" })).body.id as string;
    await scim(
      server,
      "PATCH",
      `/Users/${id2}`,
      patchOp({ op: "Add", path: 'emails[type eq "work"].value', value: "b@contoso.com" }),
    );
    expect(server.listUsers()[1]?.emails).toEqual([{ type: "work", value: "b@contoso.com" }]);
  });

  it("accepts Add and Replace of single-valued attributes that were empty", async () => {
    const id = (await scim(server, "POST", "/Users", { schemas: [CORE_USER_SCHEMA], userName: "bare@contoso.com" }))
      .body.id as string;
    const r = await scim(
      server,
      "PATCH",
      `/Users/${id}`,
      patchOp(
        { op: "Add", path: "displayName", value: "Bare" },
        { op: "Replace", path: "name.givenName", value: "B" },
        { op: "Add", path: `${SPLASHTOP_USER_SCHEMA}:ssoName`, value: "Contoso SSO" },
      ),
    );
    expect(r.status).toBe(200);
    expect(server.listUsers()[0]).toMatchObject({
      displayName: "Bare",
      name: { givenName: "B" },
      [SPLASHTOP_USER_SCHEMA]: { ssoName: "Contoso SSO" },
    });
  });

  it("applies a no-path replace with a value object (Entra's RFC-flag form), string booleans included", async () => {
    const id = await createUser(server, 1);
    const r = await scim(
      server,
      "PATCH",
      `/Users/${id}`,
      patchOp({
        op: "replace",
        value: {
          displayName: "Alice S",
          "name.givenName": "Alice",
          active: "False",
          [`${SPLASHTOP_USER_SCHEMA}:ssoName`]: "X",
        },
      }),
    );
    expect(r.status).toBe(200);
    expect(server.listUsers()[0]).toMatchObject({
      displayName: "Alice S",
      active: false,
      name: { givenName: "Alice", familyName: "Family1" },
      [SPLASHTOP_USER_SCHEMA]: { ssoName: "X" },
    });
  });

  it("deletes with 204, then answers 404 for the id", async () => {
    const id = await createUser(server, 1);
    expect((await scim(server, "DELETE", `/Users/${id}`)).status).toBe(204);
    const r = await scim(server, "GET", `/Users/${id}`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: "404" });
    expect(
      (await scim(server, "PATCH", `/Users/${id}`, patchOp({ op: "replace", path: "active", value: false }))).status,
    ).toBe(404);
    expect((await scim(server, "DELETE", `/Users/${id}`)).status).toBe(404);
  });
});

describe("RFC 7644 behaviour", () => {
  it("answers 401 with a SCIM error and WWW-Authenticate for a missing or wrong token", async () => {
    for (const token of [null, "wrong"]) {
      const r = await scim(server, "GET", "/Users", undefined, { token });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: "401" });
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    expect(server.listUsers()).toHaveLength(0);
  });

  it("GET /Users/{id} honours attributes and excludedAttributes", async () => {
    const id = await createUser(server, 1);
    const only = await scim(server, "GET", `/Users/${id}?attributes=userName`);
    expect(only.body.userName).toBe("user1@contoso.com");
    expect(only.body).not.toHaveProperty("emails");
    const without = await scim(server, "GET", `/Users/${id}?excludedAttributes=emails`);
    expect(without.body).not.toHaveProperty("emails");
    expect(without.body.name).toEqual({ givenName: "Given1", familyName: "Family1" });
  });

  it("PUT replaces the user (attributes left out are cleared) and keeps id and created", async () => {
    const created = (await scim(server, "POST", "/Users", entraUser(1))).body;
    const r = await scim(server, "PUT", `/Users/${created.id}`, {
      schemas: [CORE_USER_SCHEMA],
      userName: "renamed@contoso.com",
      active: false,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: created.id, userName: "renamed@contoso.com", active: false });
    expect(r.body.meta.created).toBe(created.meta.created);
    expect(server.listUsers()[0]).not.toHaveProperty("emails");
  });

  it("answers malformed requests with the RFC scimType", async () => {
    const id = await createUser(server, 1);
    const cases: [string, string, unknown, string, number?][] = [
      ["GET", `/Users?${filterQuery("userName eq")}`, undefined, "invalidFilter"],
      ["GET", `/Users?${filterQuery('nope eq "x"')}`, undefined, "invalidFilter"],
      ["GET", "/Users?count=ten", undefined, "invalidValue"],
      ["PATCH", `/Users/${id}`, patchOp({ op: "replace", path: "nickName", value: "x" }), "invalidPath"],
      ["PATCH", `/Users/${id}`, patchOp({ op: "jump", path: "active", value: true }), "invalidSyntax"],
      ["PATCH", `/Users/${id}`, { schemas: ["urn:wrong"], Operations: [] }, "invalidSyntax"],
      ["PATCH", `/Users/${id}`, patchOp({ op: "remove" }), "noTarget"],
      ["PATCH", `/Users/${id}`, patchOp({ op: "replace", path: "active", value: "maybe" }), "invalidValue"],
      ["POST", "/Users", { schemas: [CORE_USER_SCHEMA], active: true }, "invalidValue"],
    ];
    for (const [method, path, body, scimType] of cases) {
      const r = await scim(server, method, path, body);
      expect({ path, body, status: r.status, scimType: r.body?.scimType }).toEqual({
        path,
        body,
        status: 400,
        scimType,
      });
      expect(r.body.schemas).toEqual([ERROR_SCHEMA]);
    }
    const bad = await scim(server, "POST", "/Users", undefined, { rawBody: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe("invalidSyntax");
  });

  it("renaming a user onto a taken userName is a 409 and changes nothing", async () => {
    await createUser(server, 1);
    const id2 = await createUser(server, 2);
    const r = await scim(
      server,
      "PATCH",
      `/Users/${id2}`,
      patchOp({ op: "replace", path: "userName", value: "User1@Contoso.com" }),
    );
    expect(r.status).toBe(409);
    expect(r.body.scimType).toBe("uniqueness");
    expect(server.listUsers().map((u) => u.userName)).toEqual(["user1@contoso.com", "user2@contoso.com"]);
  });

  it("a PATCH that changes nothing keeps version and lastModified", async () => {
    const id = await createUser(server, 1);
    const before = server.listUsers()[0]?.meta;
    const r = await scim(server, "PATCH", `/Users/${id}`, patchOp({ op: "replace", path: "active", value: true }));
    expect([200, 204]).toContain(r.status);
    expect(server.listUsers()[0]?.meta).toEqual(before);
  });
});
