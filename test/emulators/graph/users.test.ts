import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDirectory, startGraphEmulator, type GraphEmulator } from "../../../electron/emulators/graph";
import { httpFor, type Http } from "./helpers";

let emu: GraphEmulator;
let http: Http;
const directory = generateDirectory({ seed: 7, users: 230, groups: 12 });

beforeAll(async () => {
  emu = await startGraphEmulator({ directory, seed: 7 });
  http = httpFor(emu);
});

afterAll(async () => {
  await http.close();
  await emu.close();
});

type Obj = Record<string, unknown>;
const values = (page: Obj) => page.value as Obj[];

describe("GET /v1.0/users", () => {
  it("returns only the default property set without $select", async () => {
    const r = await http.get("/v1.0/users?$top=5");
    expect(r.status).toBe(200);
    expect(r.body["@odata.context"]).toBe(`${emu.graphBaseUrl}/v1.0/$metadata#users`);
    expect(Object.keys(values(r.body)[0] ?? {}).sort()).toEqual([
      "businessPhones",
      "displayName",
      "givenName",
      "id",
      "jobTitle",
      "mail",
      "mobilePhone",
      "officeLocation",
      "preferredLanguage",
      "surname",
      "userPrincipalName",
    ]);
  });

  it("pages with $top through absolute nextLinks carrying an opaque $skiptoken, covering every user once", async () => {
    const pages = await http.pages("/v1.0/users?$select=id,userPrincipalName,accountEnabled,userType&$top=100");
    expect(pages).toHaveLength(3);
    for (const p of pages.slice(0, -1)) {
      const next = new URL(p["@odata.nextLink"] as string);
      expect(next.origin).toBe(emu.graphBaseUrl);
      expect(next.pathname).toBe("/v1.0/users");
      expect(next.searchParams.get("$skiptoken")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    }
    const ids = pages.flatMap((p) => values(p).map((u) => u.id));
    expect(new Set(ids).size).toBe(230);
    expect(Object.keys(values(pages[0] as Obj)[0] ?? {})).toEqual([
      "id",
      "userPrincipalName",
      "accountEnabled",
      "userType",
    ]);
    expect(pages[0]?.["@odata.context"]).toBe(
      `${emu.graphBaseUrl}/v1.0/$metadata#users(id,userPrincipalName,accountEnabled,userType)`,
    );
  });

  it("defaults to 100 per page and caps $top at 999", async () => {
    const r = await http.get("/v1.0/users?$select=id");
    expect(values(r.body)).toHaveLength(100);
    const tooBig = await http.get("/v1.0/users?$top=1000");
    expect(tooBig.status).toBe(400);
    expect((tooBig.body.error as Obj).code).toBe("Request_BadRequest");
  });

  it("filters with eq (case-insensitive) and startswith, and refuses unsupported filters", async () => {
    const target =
      directory.users.find((u) => u.userType === "Member" && u.surname?.includes("'")) ?? directory.users[3];
    const upn = target?.userPrincipalName ?? "";
    const r = await http.get(
      `/v1.0/users?$filter=${encodeURIComponent(`userPrincipalName eq '${upn.toUpperCase().replace(/'/g, "''")}'`)}&$select=id`,
    );
    expect(values(r.body).map((u) => u.id)).toEqual([target?.id]);
    const disabled = await http.get(
      `/v1.0/users?$filter=${encodeURIComponent("accountEnabled eq false")}&$select=id&$top=999`,
    );
    expect(values(disabled.body)).toHaveLength(directory.users.filter((u) => !u.accountEnabled).length);
    const starts = await http.get(
      `/v1.0/users?$filter=${encodeURIComponent("startswith(displayName,'jo')")}&$select=displayName&$top=999`,
    );
    const expected = directory.users.filter((u) => u.displayName.toLowerCase().startsWith("jo")).length;
    expect(expected).toBeGreaterThan(0);
    expect(values(starts.body)).toHaveLength(expected);
    const unsupported = await http.get(`/v1.0/users?$filter=${encodeURIComponent("department eq 'Sales'")}`);
    expect(unsupported.status).toBe(400);
    expect((unsupported.body.error as Obj).code).toBe("Request_UnsupportedQuery");
    const sorted = await http.get("/v1.0/users?$select=displayName&$orderby=displayName desc&$top=999");
    const names = values(sorted.body).map((u) => u.displayName as string);
    expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a, "en", { sensitivity: "base" })));
    expect((await http.get("/v1.0/users?$orderby=department")).status).toBe(400);
    const unknownSelect = await http.get("/v1.0/users?$select=nope");
    expect(unknownSelect.status).toBe(400);
  });
});

describe("GET /v1.0/users/{id | userPrincipalName}", () => {
  it("finds a guest by its #EXT# UPN (percent-encoded) and returns the selected properties", async () => {
    const guest = directory.users.find((u) => u.userType === "Guest");
    expect(guest?.userPrincipalName).toMatch(/^[^@]+_[^@]+#EXT#@contoso\.onmicrosoft\.com$/);
    const r = await http.get(
      `/v1.0/users/${encodeURIComponent(guest?.userPrincipalName ?? "")}?$select=id,userType,mail,externalUserState`,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: guest?.id, userType: "Guest", mail: guest?.mail });
    expect(r.body["@odata.context"]).toBe(
      `${emu.graphBaseUrl}/v1.0/$metadata#users(id,userType,mail,externalUserState)/$entity`,
    );
  });

  it("expands the manager, and leaves the property out for a user without one", async () => {
    const withManager = directory.users.find((u) => u.managerId);
    const r = await http.get(`/v1.0/users/${withManager?.id}?$select=id,displayName&$expand=manager($select=id)`);
    expect(r.body.manager).toEqual({ "@odata.type": "#microsoft.graph.user", id: withManager?.managerId });
    const top = directory.users.find((u) => !u.managerId);
    const r2 = await http.get(`/v1.0/users/${top?.id}?$select=id&$expand=manager`);
    expect(r2.body).not.toHaveProperty("manager");
    // A navigation property in $select is accepted and returns nothing (OData minimal metadata).
    const selected = await http.get(`/v1.0/users/${withManager?.id}?$select=id,manager`);
    expect(Object.keys(selected.body).filter((k) => !k.startsWith("@odata"))).toEqual(["id"]);
    const viaNav = await http.get(`/v1.0/users/${withManager?.id}/manager?$select=id`);
    expect(viaNav.body).toMatchObject({ "@odata.type": "#microsoft.graph.user", id: withManager?.managerId });
  });

  it("answers an unknown id with 404 Request_ResourceNotFound, request ids in headers and envelope", async () => {
    const r = await http.get("/v1.0/users/00000000-1111-2222-3333-444444444444", { "client-request-id": "cr-42" });
    expect(r.status).toBe(404);
    expect(r.headers.get("client-request-id")).toBe("cr-42");
    expect(r.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body).toEqual({
      error: {
        code: "Request_ResourceNotFound",
        message: expect.stringContaining("00000000-1111-2222-3333-444444444444"),
        innerError: {
          date: expect.any(String),
          "request-id": r.headers.get("request-id"),
          "client-request-id": "cr-42",
        },
      },
    });
  });

  it("hides soft-deleted users from reads until they are restored", async () => {
    const victim = directory.users[10];
    emu.admin.softDeleteUser(victim?.id ?? "");
    expect((await http.get(`/v1.0/users/${victim?.id}`)).status).toBe(404);
    const all = await http.pages("/v1.0/users?$select=id&$top=999");
    expect(all.flatMap((p) => values(p)).some((u) => u.id === victim?.id)).toBe(false);
    emu.admin.restoreUser(victim?.id ?? "");
    expect((await http.get(`/v1.0/users/${victim?.id}`)).status).toBe(200);
  });

  it("serves address, on-premises and directory extension properties when selected", async () => {
    const synced = directory.users.find((u) => u.onPremisesSyncEnabled);
    const ext = "extension_0123456789abcdef0123456789abcdef_costCenter";
    emu.admin.updateUser(synced?.id ?? "", { [ext]: "CC-42" });
    const r = await http.get(
      `/v1.0/users/${synced?.id}?$select=id,streetAddress,state,employeeHireDate,onPremisesSamAccountName,onPremisesImmutableId,onPremisesExtensionAttributes,${ext}`,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: synced?.id,
      streetAddress: synced?.streetAddress,
      onPremisesSamAccountName: synced?.onPremisesSamAccountName,
      employeeHireDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT00:00:00Z$/),
      [ext]: "CC-42",
    });
    const attrs = r.body.onPremisesExtensionAttributes as Obj;
    expect(Object.keys(attrs)).toHaveLength(15);
    expect(attrs.extensionAttribute1).toMatch(/^CC-\d{4}$/);
    const guest = directory.users.find((u) => u.userType === "Guest");
    const g = await http.get(`/v1.0/users/${guest?.id}?$select=onPremisesImmutableId,${ext}`);
    expect(g.body).toMatchObject({ onPremisesImmutableId: null, [ext]: null });
  });

  it("accepts the key form /users('{upn}') that UPNs starting with $ or holding apostrophes need", async () => {
    const dollar = emu.admin.addUser({ displayName: "Dollar O'Neil", userPrincipalName: "$dollar.o'neil@contoso.com" });
    const key = encodeURIComponent("$dollar.o''neil@contoso.com");
    const r = await http.get(`/v1.0/users('${key}')?$select=id,userPrincipalName`);
    expect(r.body).toMatchObject({ id: dollar.id, userPrincipalName: "$dollar.o'neil@contoso.com" });
  });

  it("routes unknown segments to a 400 in the envelope and echoes request ids on every answer", async () => {
    const r = await http.get("/v1.0/nothingHere");
    expect(r.status).toBe(400);
    expect((r.body.error as Obj).code).toBe("BadRequest");
    expect(r.headers.get("client-request-id")).toBe(r.headers.get("request-id"));
  });
});
