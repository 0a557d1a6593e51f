import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, sampleProfile, tempDir, writeJson } from "./run-cli";

describe("provision-desk usage and configuration errors (exit code 2)", () => {
  it("prints usage and exits 2 without a command, or with an unknown command or option", async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Usage: provision-desk");

    const unknown = await runCli(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);

    const badOption = await runCli(["sync", "--everything"]);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/unknown option '--everything'/);

    const badSecret = await runCli(["secret", "set", "password"]);
    expect(badSecret.code).toBe(2);
    expect(badSecret.stderr).toMatch(/client-secret, scim-token, smtp-password/);
  });

  it("shows help with exit 0 when asked", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("test-connection");
    expect(help.stdout).toContain("4 authentication failure or quarantine");
  });

  it("refuses an invalid profile, naming each bad JSON path, and stores nothing", async () => {
    const dir = tempDir();
    const file = writeJson(dir, "bad.json", {
      ...sampleProfile(),
      target: { tenantUrl: "not a url" },
      schedule: { intervalMinutes: 1 },
      source: { tenantId: "t", clientId: "c", appId: "a", scope: "everyone" },
    });
    const result = await runCli(["--data-dir", join(dir, "data"), "config", "import", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file} is not valid`);
    expect(result.stderr).toMatch(/ target\.tenantUrl: not a valid URL/);
    expect(result.stderr).toMatch(/ schedule\.intervalMinutes: .*>=5/);
    expect(result.stderr).toMatch(/ source\.scope: .*"assigned".*"all"/);

    const exported = await runCli(["--data-dir", join(dir, "data"), "config", "export"]);
    expect(exported.code).toBe(2);
    expect(exported.stderr).toContain("No profile is stored");
  });

  it("refuses a profile that carries a secret and says where secrets go", async () => {
    const dir = tempDir();
    const profile = sampleProfile();
    const file = writeJson(dir, "p.json", { ...profile, source: { ...profile.source, clientSecret: "s3cret" } });
    const result = await runCli(["--data-dir", dir, "config", "import", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(" source.clientSecret: secrets never go in a profile");
    expect(result.stderr).toContain("secret set");
    expect(result.stderr).not.toContain("s3cret");
  });

  it("reports malformed JSON and a missing file as configuration errors", async () => {
    const dir = tempDir();
    const file = join(dir, "broken.json");
    writeJson(dir, "broken.json", {});
    const missing = await runCli(["--data-dir", dir, "config", "import", join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Cannot read");
    expect(readFileSync(file, "utf8")).toBe("{}");
    const empty = await runCli(["--data-dir", dir, "config", "import", file]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain(" source: ");
  });

  it("a cycle without a profile is a configuration error", async () => {
    const result = await runCli(["--data-dir", tempDir(), "sync", "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("No profile is set up");
  });
});

describe("config import / export", () => {
  it("round-trips a profile with defaults filled in, paths made absolute, and no secret anywhere", async () => {
    const dir = tempDir();
    const data = join(dir, "data");
    const file = writeJson(dir, "profile.json", {
      ...sampleProfile(),
      target: { ...sampleProfile().target, caFile: "certs/ca.pem" },
    });
    const env = {
      PROVISIONDESK_SCIM_TOKEN: "tok-never-exported",
      PROVISIONDESK_CLIENT_SECRET: "secret-never-exported",
    };

    const imported = await runCli(["--data-dir", data, "config", "import", file], { env });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('Stored profile "splashtop"');

    const stdoutExport = await runCli(["--data-dir", data, "config", "export"], { env });
    expect(stdoutExport.code, stdoutExport.stderr).toBe(0);
    const profile = JSON.parse(stdoutExport.stdout);
    expect(profile.name).toBe("splashtop");
    expect(profile.target.caFile).toBe(join(dir, "certs/ca.pem"));
    expect(profile.schedule).toEqual({ intervalMinutes: 30, paused: false });
    expect(profile.deprovision).toEqual({ users: "disable", groups: "disable" });
    expect(profile.source.credential).toEqual({ type: "secret" });
    expect(stdoutExport.stdout).not.toMatch(/never-exported/);

    const out = join(dir, "exported.json");
    expect((await runCli(["--data-dir", data, "config", "export", out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(profile);

    // What was exported imports again unchanged, under another name when --profile says so.
    expect((await runCli(["--data-dir", data, "--profile", "copy", "config", "import", out])).code).toBe(0);
    const copy = await runCli(["--data-dir", data, "--profile", "copy", "config", "export"]);
    expect(JSON.parse(copy.stdout)).toEqual({ ...profile, name: "copy" });
  });

  it("prints the profile's JSON Schema", async () => {
    const result = await runCli(["config", "schema"], { env: { PROVISIONDESK_DATA_DIR: tempDir() } });
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.properties.target.properties.tenantUrl).toBeDefined();
    expect(schema.required).toEqual(expect.arrayContaining(["source", "target"]));
  });
});

describe("secret set without an OS keychain", () => {
  it("fails with exit 2 and tells the admin how to get a keychain or use the environment", async () => {
    const dir = tempDir();
    const result = await runCli(["--data-dir", dir, "secret", "set", "scim-token"], {
      input: "tok\n",
      env: { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("OS keychain");
    expect(result.stderr).toContain("gnome-keyring");
    expect(result.stderr).toContain("PROVISIONDESK_SCIM_TOKEN");
  });
});
