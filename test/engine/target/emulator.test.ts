/** The SCIM client against the project's Splashtop-style emulator, in both dialects (strict RFC mode for rfc7644). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startScimServer, type ScimServer } from "../../../electron/emulators/scim";
import { createHttpClient, type HttpClient } from "../../../electron/engine/http";
import {
  PATCH_OP,
  SPLASHTOP_USER,
  ScimError,
  createScimClient,
  membershipOperations,
  readTargetPath,
  renameGroupOperation,
  toPatchOperations,
  toScimResource,
  type Dialect,
  type ScimClient,
} from "../../../electron/engine/target";

const SSO = `${SPLASHTOP_USER}:ssoName`;
const WORK_EMAIL = 'emails[type eq "work"].value';

describe.each<Dialect>(["entra", "rfc7644"])("dialect %s", (dialect) => {
  let server: ScimServer;
  let http: HttpClient;
  let client: ScimClient;

  beforeAll(async () => {
    server = await startScimServer({ strict: dialect === "rfc7644", maxPageSize: 5 });
    http = createHttpClient({ sleep: async () => {} });
    client = createScimClient({ tenantUrl: server.tenantUrl, token: server.token, dialect, preset: "splashtop", http });
  });
  afterAll(async () => {
    await http.close();
    await server.close();
  });
  beforeEach(() => server.reset());

  const user = (userName: string) =>
    toScimResource("user", {
      userName,
      active: "True",
      "name.givenName": "Ann",
      "name.familyName": "Lee",
      [WORK_EMAIL]: userName,
      [SSO]: "Contoso SSO",
    });

  it("passes the connection test", async () => {
    expect((await client.testConnection()).every((c) => c.ok)).toBe(true);
  });

  it("creates, finds with an escaped filter, and reports a duplicate as a conflict", async () => {
    const userName = `o'brien "bob" c:\\x@contoso.com`;
    const created = await client.create("Users", user(userName));
    await client.create("Users", user("other@contoso.com"));
    expect((await client.find("Users", "userName", userName)).map((u) => u.id)).toEqual([created.id]);
    const err = await client.create("Users", user(userName)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScimError);
    expect(err).toMatchObject({ kind: "conflict", code: "Conflict", status: 409 });
  });

  it("updates family name, work email, SSO name and disables the user", async () => {
    const { id } = await client.create("Users", user("ann@contoso.com"));
    const ops = toPatchOperations(
      [
        { path: "name.familyName", value: "Smith" },
        { path: WORK_EMAIL, value: "ann.smith@contoso.com" },
        { path: SSO, value: "Okta SSO" },
        { path: "active", value: "False" },
      ],
      dialect,
    );
    await client.patch("Users", id, ops);
    const sent = server.requests.filter((r) => r.method === "PATCH").map((r) => r.body);
    expect(sent).toEqual([{ schemas: [PATCH_OP], Operations: ops }]);
    const stored = await client.get("Users", id);
    expect(readTargetPath(stored, "name.familyName")).toBe("Smith");
    expect(readTargetPath(stored, "name.givenName")).toBe("Ann");
    expect(readTargetPath(stored, WORK_EMAIL)).toBe("ann.smith@contoso.com");
    expect(readTargetPath(stored, SSO)).toBe("Okta SSO");
    expect(readTargetPath(stored, "active")).toBe(false);
  });

  it("creates a group without members, then adds and removes members in batched PATCHes, and renames it", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await client.create("Users", user(`u${i}@contoso.com`))).id);
    const group = await client.create("Groups", toScimResource("group", { displayName: "Sales", externalId: "g-1" }));
    expect(server.requests.find((r) => r.method === "POST" && r.path === "/Groups")?.body).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Sales",
      externalId: "g-1",
    });

    for (const ops of membershipOperations(ids, [], dialect, 2)) await client.patch("Groups", group.id, ops);
    for (const ops of membershipOperations([], ids.slice(0, 3), dialect, 2))
      await client.patch("Groups", group.id, ops);
    await client.patch("Groups", group.id, [renameGroupOperation("Sales EMEA", dialect)]);

    expect(server.requests.filter((r) => r.method === "PATCH")).toHaveLength(3 + 2 + 1);
    const [stored] = server.listGroups();
    expect(stored?.displayName).toBe("Sales EMEA");
    expect(stored?.members.map((m) => m.value).sort()).toEqual(ids.slice(3).sort());
    expect(await client.find("Groups", "displayName", "Sales EMEA")).toHaveLength(1);
  });

  it("pages through every user and treats deleted objects as InvalidAnchor", async () => {
    for (let i = 0; i < 12; i++)
      await client.create("Users", toScimResource("user", { userName: `p${i}@contoso.com`, [SSO]: "SSO" }));
    const seen: string[] = [];
    for await (const page of client.listAll("Users")) seen.push(...page.map((u) => String(u.userName)));
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    // The server caps pages at 5 even when asked for 50: paging follows what it returned, not what was asked.
    let total = 0;
    for await (const page of client.listAll("Users", { pageSize: 50 })) total += page.length;
    expect(total).toBe(12);

    const [first] = server.listUsers();
    await client.delete("Users", first?.id ?? "");
    expect(await client.get("Users", first?.id ?? "")).toBeNull();
    await expect(client.delete("Users", first?.id ?? "")).rejects.toMatchObject({
      kind: "notFound",
      code: "InvalidAnchor",
    });
    await expect(
      client.patch("Users", first?.id ?? "", toPatchOperations([{ path: "active", value: false }], dialect)),
    ).rejects.toMatchObject({ kind: "notFound" });
  });

  it("rides out throttling with Retry-After, and gives Splashtop's message for a bad token", async () => {
    server.setFaults({ throttleNext: 2, retryAfterSeconds: 0.01 });
    expect(await client.find("Users", "userName", "nobody")).toEqual([]);
    const bad = createScimClient({ tenantUrl: server.tenantUrl, token: "wrong", dialect, preset: "splashtop", http });
    await expect(bad.find("Users", "userName", "x")).rejects.toMatchObject({
      kind: "unauthorized",
      message:
        "Splashtop rejected the token (401). Generate a new SCIM token in the Splashtop web portal and paste it in Connections → Target.",
    });
  });
});

it("a strict RFC 7644 server rejects Entra's string boolean, which is why the rfc7644 dialect exists", async () => {
  const server = await startScimServer({ strict: true });
  const http = createHttpClient({ sleep: async () => {} });
  try {
    const client = createScimClient({
      tenantUrl: server.tenantUrl,
      token: server.token,
      dialect: "entra",
      preset: "generic",
      http,
    });
    const { id } = await client.create("Users", toScimResource("user", { userName: "strict@contoso.com" }));
    const err = await client
      .patch("Users", id, toPatchOperations([{ path: "active", value: false }], "entra"))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "invalid", status: 400 });
    expect((err as ScimError).message).toMatch(/^The SCIM app rejected the request to update a user \(400/);
    expect((err as ScimError).recommendation).toContain("set the request style to RFC 7644");
  } finally {
    await http.close();
    await server.close();
  }
});
