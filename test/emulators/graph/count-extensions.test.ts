import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALL_PERMISSIONS,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  generateDirectory,
  startGraphEmulator,
  type GraphEmulator,
} from "../../../electron/emulators/graph";
import { defaultClientWith, httpFor, type Http } from "./helpers";

// Graph's advanced $count on group members, and the directory extensions listed by getAvailableExtensionProperties.
const READER = "00000000-0000-0000-0000-0000000000d1";
const EXTENSION = "extension_0123456789abcdef0123456789abcdef_costCenter";
let emu: GraphEmulator;
let http: Http;

beforeAll(async () => {
  emu = await startGraphEmulator({
    directory: generateDirectory({ seed: 4, users: 30 }),
    clients: defaultClientWith(ALL_PERMISSIONS, {
      clientId: READER,
      clientSecret: DEFAULT_CLIENT_SECRET,
      permissions: ["Directory.Read.All"],
    }),
  });
  http = httpFor(emu);
});
afterAll(async () => {
  await http.close();
  await emu.close();
});

async function countMembers(groupId: string, headers: Record<string, string>) {
  const res = await http.fetch(`${emu.graphBaseUrl}/v1.0/groups/${groupId}/members/$count`, {
    headers: { authorization: `Bearer ${await http.token()}`, ...headers },
  });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

async function extensions(clientId: string, body: unknown = {}) {
  const res = await http.fetch(`${emu.graphBaseUrl}/v1.0/directoryObjects/getAvailableExtensionProperties`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${await http.token(clientId)}`,
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { value?: Record<string, unknown>[]; error?: { code: string } },
  };
}

describe("/groups/{id}/members/$count", () => {
  it("answers the direct member count as text/plain with ConsistencyLevel: eventual, and refuses without it", async () => {
    const [a, b] = emu.admin.listUsers();
    const inner = emu.admin.createGroup({ displayName: "Counted Inner", members: [b!.id] });
    const group = emu.admin.createGroup({ displayName: "Counted", members: [a!.id, inner.id] });
    expect(await countMembers(group.id, { ConsistencyLevel: "eventual" })).toEqual({
      status: 200,
      type: "text/plain",
      text: "2",
    });
    const refused = await countMembers(group.id, {});
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text).error.code).toBe("Request_BadRequest");
    expect((await countMembers("00000000-0000-0000-0000-00000000dead", { ConsistencyLevel: "eventual" })).status).toBe(
      404,
    );
  });
});

describe("POST /directoryObjects/getAvailableExtensionProperties", () => {
  it("lists the tenant's directory extensions to a client with Directory.Read.All only", async () => {
    const [user] = emu.admin.listUsers();
    emu.admin.updateUser(user!.id, { [EXTENSION]: "CC-7" });
    const listed = await extensions(READER);
    expect(listed.status).toBe(200);
    expect(listed.body.value).toEqual([
      expect.objectContaining({
        name: EXTENSION,
        dataType: "String",
        isMultiValued: false,
        isSyncedFromOnPremises: false,
        targetObjects: ["User"],
      }),
    ]);
    expect((await extensions(READER, { isSyncedFromOnPremises: true })).body.value).toEqual([]);
    const denied = await extensions(DEFAULT_CLIENT_ID);
    expect(denied.status).toBe(403);
    expect(denied.body.error?.code).toBe("Authorization_RequestDenied");
  });
});
