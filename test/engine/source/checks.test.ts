// The source connection test: one check per step, each failure saying what to do in the Entra admin center.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSource } from "../../../electron/engine/source";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startGraphEmulator,
  type GraphEmulator,
} from "../../../electron/emulators/graph";
import { connect } from "./helpers";

const NO_GROUPS = "00000000-0000-0000-0000-0000000000c3";
let emu: GraphEmulator;
beforeAll(async () => {
  emu = await startGraphEmulator({
    clients: [
      {
        clientId: DEFAULT_CLIENT_ID,
        clientSecret: DEFAULT_CLIENT_SECRET,
        permissions: ["User.Read.All", "Group.Read.All", "Application.Read.All"],
      },
      { clientId: NO_GROUPS, clientSecret: "s3cret", permissions: ["User.Read.All", "Application.Read.All"] },
    ],
  });
});
afterAll(() => emu?.close());

const run = (clientId: string, clientSecret: string, appId = emu.appId) => {
  const { tokens, graph } = connect(emu, { clientId, credential: { clientSecret } });
  return checkSource({ tokens, graph, appId, tenantId: emu.tenantId });
};

describe("checkSource", () => {
  it("passes every check for a fully consented app", async () => {
    const checks = await run(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ["Sign in to Entra ID", true],
      ["Read users (User.Read.All)", true],
      ["Read groups (Group.Read.All)", true],
      ["Read app assignments (Application.Read.All)", true],
    ]);
    expect(checks[3]!.message).toContain(emu.admin.app.displayName);
  });

  it("names the missing permission and how to grant it", async () => {
    const checks = await run(NO_GROUPS, "s3cret");
    expect(checks.map((c) => c.ok)).toEqual([true, true, false, true]);
    expect(checks[2]!.message).toContain("Group.Read.All");
    expect(checks[2]!.message).toContain("API permissions");
    expect(checks[2]!.message).toContain("Grant admin consent");
    expect(checks[2]!.detail).toMatch(/^403 Authorization_RequestDenied/);
  });

  it("reports a rejected secret on the sign-in check and skips the rest", async () => {
    const checks = await run(DEFAULT_CLIENT_ID, "wrong");
    expect(checks).toHaveLength(4);
    expect(checks[0]).toMatchObject({ ok: false, message: expect.stringContaining("AADSTS7000215") });
    expect(checks.slice(1).every((c) => !c.ok && c.message.startsWith("Not checked"))).toBe(true);
  });

  it("reports an enterprise app id that does not exist", async () => {
    const checks = await run(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, "99999999-9999-9999-9999-999999999999");
    expect(checks[3]).toMatchObject({
      ok: false,
      message: expect.stringContaining("No enterprise application with appId 99999999"),
    });
  });
});
