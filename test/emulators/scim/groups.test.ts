import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CORE_GROUP_SCHEMA,
  ERROR_SCHEMA,
  startScimServer,
  type ScimServer,
} from "../../../electron/emulators/scim/index";
import { createUser, filterQuery, patchOp, scim } from "./helpers";

let server: ScimServer;
beforeAll(async () => {
  server = await startScimServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const createGroup = async (displayName: string, extra: object = {}) => {
  const r = await scim(server, "POST", "/Groups", {
    schemas: [CORE_GROUP_SCHEMA],
    displayName,
    externalId: `obj-${displayName}`,
    ...extra,
  });
  if (r.status !== 201) throw new Error(`create group: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
};
const memberIds = (i = 0) => server.listGroups()[i]?.members.map((m) => m.value);

describe("Entra's group requests", () => {
  it("looks a group up by displayName without members, creates it (201 + Location) and finds it again", async () => {
    const lookup = `/Groups?excludedAttributes=members&${filterQuery('displayName eq "Sales EU"')}`;
    expect((await scim(server, "GET", lookup)).body.totalResults).toBe(0);
    const r = await scim(server, "POST", "/Groups", {
      schemas: [CORE_GROUP_SCHEMA],
      displayName: "Sales EU",
      externalId: "0a1b",
    });
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toBe(`${server.tenantUrl}/Groups/${r.body.id}`);
    expect(r.body).toMatchObject({
      displayName: "Sales EU",
      externalId: "0a1b",
      meta: { resourceType: "Group", version: 'W/"1"' },
    });
    const found = await scim(server, "GET", lookup.replace("Sales EU", "sales eu"));
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(r.body.id);
  });

  it("renames with Replace displayName", async () => {
    const g = await createGroup("Sales");
    const r = await scim(
      server,
      "PATCH",
      `/Groups/${g}`,
      patchOp({ op: "Replace", path: "displayName", value: "Sales EMEA" }),
    );
    expect(r.status).toBe(204);
    expect(server.listGroups()[0]).toMatchObject({ displayName: "Sales EMEA", meta: { version: 'W/"2"' } });
  });

  it("adds and removes members in batches with value arrays, ignoring members already present", async () => {
    const users = await Promise.all([1, 2, 3, 4].map((n) => createUser(server, n)));
    const g = await createGroup("Sales");
    const add = (ids: string[]) =>
      scim(
        server,
        "PATCH",
        `/Groups/${g}`,
        patchOp({ op: "Add", path: "members", value: ids.map((value) => ({ value })) }),
      );
    expect((await add(users.slice(0, 3))).status).toBe(204);
    expect((await add(users.slice(2))).status).toBe(204);
    expect(memberIds()).toEqual(users);
    const rm = await scim(
      server,
      "PATCH",
      `/Groups/${g}`,
      patchOp({ op: "Remove", path: "members", value: [{ value: users[0] }, { value: users[2] }] }),
    );
    expect(rm.status).toBe(204);
    expect(memberIds()).toEqual([users[1], users[3]]);
    expect(server.listGroups()[0]?.members[0]).toEqual({ value: users[1], type: "User", display: "user2@contoso.com" });
  });

  it("GET returns members with $ref unless excluded", async () => {
    const u = await createUser(server, 1);
    const g = await createGroup("Sales", { members: [{ value: u }] });
    const full = await scim(server, "GET", `/Groups/${g}`);
    expect(full.body.members).toEqual([
      { value: u, type: "User", display: "user1@contoso.com", $ref: `${server.tenantUrl}/Users/${u}` },
    ]);
    const bare = await scim(server, "GET", `/Groups/${g}?excludedAttributes=members`);
    expect(bare.body).not.toHaveProperty("members");
    expect(bare.body.displayName).toBe("Sales");
    const list = await scim(server, "GET", "/Groups?excludedAttributes=members");
    expect(list.body.Resources[0]).not.toHaveProperty("members");
  });

  it("deletes a group with 204 and a deleted user disappears from its groups", async () => {
    const [u1, u2] = [await createUser(server, 1), await createUser(server, 2)];
    const g = await createGroup("Sales", { members: [{ value: u1 }, { value: u2 }] });
    expect((await scim(server, "DELETE", `/Users/${u1}`)).status).toBe(204);
    expect(memberIds()).toEqual([u2]);
    expect((await scim(server, "DELETE", `/Groups/${g}`)).status).toBe(204);
    expect((await scim(server, "GET", `/Groups/${g}`)).status).toBe(404);
    expect(server.listGroups()).toEqual([]);
  });
});

describe("group rules", () => {
  it("rejects a duplicate displayName (any case) with 409 uniqueness, on create and on rename", async () => {
    await createGroup("Sales");
    const dup = await scim(server, "POST", "/Groups", { displayName: "SALES" });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ schemas: [ERROR_SCHEMA], scimType: "uniqueness" });
    const other = await createGroup("Support");
    const rename = await scim(
      server,
      "PATCH",
      `/Groups/${other}`,
      patchOp({ op: "replace", path: "displayName", value: "sales" }),
    );
    expect(rename.status).toBe(409);
    expect(server.listGroups().map((g) => g.displayName)).toEqual(["Sales", "Support"]);
  });

  it("rejects members that are not existing users or groups with 400 invalidValue, applying nothing", async () => {
    const u = await createUser(server, 1);
    const g = await createGroup("Sales");
    const r = await scim(
      server,
      "PATCH",
      `/Groups/${g}`,
      patchOp(
        { op: "replace", path: "displayName", value: "Renamed" },
        { op: "add", path: "members", value: [{ value: u }, { value: "no-such-id" }] },
      ),
    );
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe("invalidValue");
    expect(server.listGroups()[0]).toMatchObject({ displayName: "Sales", members: [] });
    const post = await scim(server, "POST", "/Groups", { displayName: "X", members: [{ value: "nope" }] });
    expect(post.status).toBe(400);
    expect(post.body.scimType).toBe("invalidValue");
    const wrongType = await scim(
      server,
      "PATCH",
      `/Groups/${g}`,
      patchOp({ op: "add", path: "members", value: [{ value: u, type: "Group" }] }),
    );
    expect(wrongType.status).toBe(400);
  });

  it("accepts nested groups, a members replace, a no-path members add and PUT", async () => {
    const [u1, u2] = [await createUser(server, 1), await createUser(server, 2)];
    const parent = await createGroup("Parent");
    const child = await createGroup("Child");
    await scim(
      server,
      "PATCH",
      `/Groups/${parent}`,
      patchOp({ op: "add", value: { members: [{ value: child }], externalId: "p" } }),
    );
    expect(server.listGroups()[0]).toMatchObject({
      externalId: "p",
      members: [{ value: child, type: "Group", display: "Child" }],
    });
    await scim(
      server,
      "PATCH",
      `/Groups/${parent}`,
      patchOp({ op: "replace", path: "members", value: [{ value: u1 }, { value: u2 }] }),
    );
    expect(memberIds()).toEqual([u1, u2]);
    const put = await scim(server, "PUT", `/Groups/${parent}`, {
      schemas: [CORE_GROUP_SCHEMA],
      displayName: "Parent 2",
      members: [{ value: u2 }],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: "Parent 2", members: [{ value: u2 }] });
    expect(put.body).not.toHaveProperty("externalId");
    const self = await scim(
      server,
      "PATCH",
      `/Groups/${parent}`,
      patchOp({ op: "add", path: "members", value: [{ value: parent }] }),
    );
    expect(self.status).toBe(400);
  });

  it("returns the group from PATCH when the client asks for a projection", async () => {
    const g = await createGroup("Sales");
    const r = await scim(
      server,
      "PATCH",
      `/Groups/${g}?excludedAttributes=members`,
      patchOp({ op: "replace", path: "displayName", value: "S2" }),
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: g, displayName: "S2" });
  });

  it("answers malformed group PATCHes with the RFC scimType", async () => {
    const g = await createGroup("Sales");
    const cases: [unknown, string][] = [
      [patchOp({ op: "add", path: "members", value: ["just-an-id"] }), "invalidValue"],
      [patchOp({ op: "remove", path: "displayName" }), "invalidValue"], // displayName is required
      [patchOp({ op: "replace", path: "title", value: "x" }), "invalidPath"],
      [{ Operations: [{ op: "add", path: "members", value: [] }] }, "invalidSyntax"],
    ];
    for (const [body, scimType] of cases) {
      const r = await scim(server, "PATCH", `/Groups/${g}`, body);
      expect({ body, status: r.status, scimType: r.body?.scimType }).toEqual({ body, status: 400, scimType });
    }
    expect(
      (await scim(server, "PATCH", "/Groups/missing", patchOp({ op: "replace", path: "displayName", value: "x" })))
        .status,
    ).toBe(404);
  });
});
