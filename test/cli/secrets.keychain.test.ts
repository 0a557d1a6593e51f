import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, sampleProfile, tempDir, writeJson } from "./run-cli";

// Runs inside the project's private D-Bus session with an unlocked keyring (PROVISIONDESK_KEYCHAIN_TESTS=1).
const enabled = process.env.PROVISIONDESK_KEYCHAIN_TESTS === "1";

describe.skipIf(!enabled)("secrets through the CLI and the OS keychain", () => {
  it("stores secrets from standard input, reports them as set, and never exports them", async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, "no D-Bus session: run inside dbus-run-session").toBeTruthy();
    const dir = tempDir();
    const data = join(dir, "data");
    const profileName = `cli-${process.pid}-${Date.now()}`;
    const file = writeJson(dir, "p.json", { ...sampleProfile(), name: profileName });
    expect((await runCli(["--data-dir", data, "config", "import", file])).code).toBe(0);

    const before = JSON.parse((await runCli(["--data-dir", data, "status", "--json"])).stdout);
    expect(before.secrets).toEqual({ clientSecret: false, scimToken: false, smtpPassword: false });

    const token = "keychain-token-value-0123456789";
    const set = await runCli(["--data-dir", data, "secret", "set", "scim-token"], { input: `${token}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`profile "${profileName}"`);
    expect((await runCli(["--data-dir", data, "secret", "set", "client-secret"], { input: "cs-value" })).code).toBe(0);
    const middle = JSON.parse((await runCli(["--data-dir", data, "status", "--json"])).stdout);
    expect(middle.secrets).toEqual({ clientSecret: true, scimToken: true, smtpPassword: false });
    expect((await runCli(["--data-dir", data, "secret", "set", "smtp-password"], { input: "smtp-value" })).code).toBe(
      0,
    );

    const after = JSON.parse((await runCli(["--data-dir", data, "status", "--json"])).stdout);
    expect(after.secrets).toEqual({ clientSecret: true, scimToken: true, smtpPassword: true });

    const exported = await runCli(["--data-dir", data, "config", "export"]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).not.toContain(token);
    expect(exported.stdout).not.toContain("cs-value");
    expect(exported.stdout).not.toContain("smtp-value");
  });

  it("refuses an empty secret", async () => {
    const result = await runCli(["--data-dir", tempDir(), "secret", "set", "client-secret"], { input: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("standard input");
  });
});
