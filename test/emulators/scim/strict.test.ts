import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startScimServer, type ScimServer } from "../../../electron/emulators/scim/index";
import { createUser, patchOp, scim } from "./helpers";

let server: ScimServer;
beforeAll(async () => {
  server = await startScimServer({ strict: true });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe("strict (RFC 7644) mode", () => {
  it("rejects Entra's string boolean for active with 400 invalidValue and leaves the user enabled", async () => {
    const id = await createUser(server, 1);
    const r = await scim(server, "PATCH", `/Users/${id}`, patchOp({ op: "replace", path: "active", value: "False" }));
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe("invalidValue");
    expect(server.listUsers()[0]?.active).toBe(true);
  });

  it("rejects a string boolean inside a no-path value object", async () => {
    const id = await createUser(server, 1);
    const r = await scim(server, "PATCH", `/Users/${id}`, patchOp({ op: "replace", value: { active: "False" } }));
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe("invalidValue");
  });

  it("rejects capitalised op names with 400 invalidSyntax, for users and groups", async () => {
    const id = await createUser(server, 1);
    const r = await scim(server, "PATCH", `/Users/${id}`, patchOp({ op: "Replace", path: "active", value: false }));
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe("invalidSyntax");
    const g = (await scim(server, "POST", "/Groups", { displayName: "G" })).body.id as string;
    const rg = await scim(
      server,
      "PATCH",
      `/Groups/${g}`,
      patchOp({ op: "Add", path: "members", value: [{ value: id }] }),
    );
    expect(rg.status).toBe(400);
    expect(rg.body.scimType).toBe("invalidSyntax");
    expect(server.listGroups()[0]?.members).toEqual([]);
  });

  it("accepts the RFC form Entra sends with aadOptscim062020", async () => {
    const id = await createUser(server, 1);
    const r = await scim(
      server,
      "PATCH",
      `/Users/${id}`,
      patchOp(
        { op: "replace", path: "active", value: false },
        { op: "replace", value: { displayName: "D", "name.familyName": "F" } },
      ),
    );
    expect(r.status).toBe(200);
    expect(server.listUsers()[0]).toMatchObject({ active: false, displayName: "D", name: { familyName: "F" } });
    const g = (await scim(server, "POST", "/Groups", { displayName: "G", members: [{ value: id }] })).body.id as string;
    const rm = await scim(
      server,
      "PATCH",
      `/Groups/${g}`,
      patchOp({ op: "remove", path: `members[value eq "${id}"]` }),
    );
    expect(rm.status).toBe(204);
    expect(server.listGroups()[0]?.members).toEqual([]);
  });

  it("answers a replace of a work email the user lacks with 400 noTarget (RFC 7644 §3.5.2.3)", async () => {
    const id = (await scim(server, "POST", "/Users", { userName: "a@contoso.com" })).body.id as string;
    const r = await scim(
      server,
      "PATCH",
      `/Users/${id}`,
      patchOp({ op: "replace", path: 'emails[type eq "work"].value', value: "a@contoso.com" }),
    );
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe("noTarget");
  });
});
