import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../electron/cli/main";
import { defaultRules } from "../../electron/engine/rules";
import { sampleProfile, tempDir, writeJson } from "./run-cli";

// main() in this process: the same code the shim runs, without a process per call.
async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main({
    argv,
    env: {},
    stdin: [],
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** A data folder with one stored profile, and its export (to prove later that nothing changed). */
async function withStoredProfile() {
  const dir = tempDir();
  const data = join(dir, "data");
  const imported = await cli("--data-dir", data, "config", "import", writeJson(dir, "good.json", sampleProfile()));
  expect(imported.code, imported.stderr).toBe(0);
  const exported = await cli("--data-dir", data, "config", "export");
  return { dir, data, before: exported.stdout };
}

const storedExport = async (data: string) => (await cli("--data-dir", data, "config", "export")).stdout;

describe("config import is all or nothing", () => {
  it("refuses a profile with an error in its rules (unknown function, dangerous regex): exit 2, stored profile unchanged", async () => {
    const { dir, data, before } = await withStoredProfile();
    const rules = defaultRules("splashtop", "Contoso Entra SSO");
    rules.users.mappings[0] = { ...rules.users.mappings[0]!, type: "Expression", expression: "Frobnicate([mail])" };
    rules.users.scopingFilters = [{ clauses: [{ attribute: "department", operator: "REGEX_MATCH", value: "(a+)+$" }] }];
    const file = writeJson(dir, "bad-rules.json", { ...sampleProfile({ safety: { deletionThreshold: 1 } }), rules });

    const result = await cli("--data-dir", data, "config", "import", file);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ rules\.users\.mappings\.0\.expression: .*Frobnicate/);
    expect(result.stderr).toMatch(/ rules\.users\.scopingFilters\.0\.clauses\.0\.value: /);
    expect(result.stdout).not.toContain("Stored");
    expect(await storedExport(data)).toBe(before);
  });

  it("refuses --profile names that are paths or carry control characters, and stores nothing", async () => {
    const dir = tempDir();
    const data = join(dir, "data");
    const file = writeJson(dir, "p.json", sampleProfile());
    for (const name of ["../../x", "a/b", "line\nbreak", "esc\u001b[31mred", ".hidden", " lead", "trail "]) {
      const result = await cli("--data-dir", data, "--profile", name, "config", "import", file);
      expect(result.code, name).toBe(2);
      expect(result.stderr).toContain("cannot be used");
      expect(result.stderr).not.toContain("\u001b");
      expect(result.stderr).not.toContain("line\nbreak");
    }
    expect((await cli("--data-dir", data, "config", "export")).stderr).toContain("No profile is stored");
    // The same rule for any command, and for a name inside the file.
    expect((await cli("--data-dir", data, "--profile", "../../x", "status")).code).toBe(2);
    const inFile = await cli(
      "--data-dir",
      data,
      "config",
      "import",
      writeJson(dir, "n.json", sampleProfile({ name: "../x" })),
    );
    expect(inFile.code).toBe(2);
    expect(inFile.stderr).toMatch(/ name: /);
  });

  it.each([
    ["http://scim.example.com/v1", "only allowed for this computer"],
    ["ftp://scim.example.com/v1", "ftp: URLs are not allowed"],
    ["javascript:alert(1)", "javascript: URLs are not allowed"],
    ["https://admin:hunter2@scim.example.com/v1", "must not carry a user name or password"],
  ])("refuses the Tenant URL %s and never echoes a password", async (tenantUrl, message) => {
    const { dir, data, before } = await withStoredProfile();
    const profile = sampleProfile();
    const file = writeJson(dir, "url.json", { ...profile, target: { ...profile.target, tenantUrl } });
    const result = await cli("--data-dir", data, "config", "import", file);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(` target\\.tenantUrl: .*${message}`));
    expect(result.stderr + result.stdout).not.toContain("hunter2");
    expect(await storedExport(data)).toBe(before);
  });

  it("accepts http:// for this computer's loopback address (emulators, a local gateway)", async () => {
    const dir = tempDir();
    const profile = sampleProfile();
    const file = writeJson(dir, "local.json", {
      ...profile,
      target: { ...profile.target, tenantUrl: "http://127.0.0.1:8443/scim" },
    });
    expect((await cli("--data-dir", join(dir, "data"), "config", "import", file)).code).toBe(0);
  });

  it("names a misspelt or unknown key at its JSON path, at any depth", async () => {
    const { dir, data, before } = await withStoredProfile();
    const profile = sampleProfile();
    const file = writeJson(dir, "typo.json", {
      ...profile,
      schedule: { intervalMinuts: 30 },
      target: { ...profile.target, actions: { create: true, delet: false } },
    });
    const result = await cli("--data-dir", data, "config", "import", file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      ' schedule.intervalMinuts: unknown setting "intervalMinuts"; did you mean "intervalMinutes"?',
    );
    expect(result.stderr).toContain(' target.actions.delet: unknown setting "delet"; did you mean "delete"?');
    expect(await storedExport(data)).toBe(before);
  });

  it("refuses invalid UTF-8 instead of turning it into U+FFFD", async () => {
    const { dir, data, before } = await withStoredProfile();
    const file = join(dir, "latin1.json");
    const text = JSON.stringify({
      ...sampleProfile(),
      target: { ...sampleProfile().target, ssoMethodName: "Caf\u00e9 SSO" },
    });
    writeFileSync(file, Buffer.from(text, "latin1")); // é as the single byte 0xE9: not UTF-8
    const result = await cli("--data-dir", data, "config", "import", file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("not valid UTF-8");
    expect(await storedExport(data)).toBe(before);
  });

  it("refuses a deeply nested file and an oversized one before parsing them", async () => {
    const dir = tempDir();
    const data = join(dir, "data");
    const deep = join(dir, "deep.json");
    writeFileSync(deep, `${"[".repeat(200_000)}${"]".repeat(200_000)}`);
    const nested = await cli("--data-dir", data, "config", "import", deep);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain("nested more than");
    const big = join(dir, "big.json");
    writeFileSync(big, JSON.stringify({ ...sampleProfile(), padding: "x".repeat(2_000_000) }));
    const oversized = await cli("--data-dir", data, "config", "import", big);
    expect(oversized.code).toBe(2);
    expect(oversized.stderr).toContain("at most 1000000 bytes");
  });
});

describe("config import and the app cannot silently overwrite each other", () => {
  it("a plain import replaces and prints the revision; --base-revision refuses when the profile changed, listing what differs", async () => {
    const { dir, data, before } = await withStoredProfile();
    const edited = writeJson(dir, "edited.json", sampleProfile({ schedule: { intervalMinutes: 60 } }));
    const replaced = await cli("--data-dir", data, "config", "import", edited);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain('Stored profile "splashtop" as revision 2');
    expect(replaced.stdout).toContain("It replaced revision 1.");
    const afterEdit = await storedExport(data);
    expect(afterEdit).not.toBe(before);

    const stale = writeJson(dir, "stale.json", sampleProfile({ safety: { deletionThreshold: 7 } }));
    const conflict = await cli("--data-dir", data, "config", "import", "--base-revision", "1", stale);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toContain("changed since revision 1: it is now at revision 2");
    expect(conflict.stderr).toContain(`  schedule.intervalMinutes: stored 60, in ${stale}: 30`);
    expect(conflict.stderr).toContain(`  safety.deletionThreshold: stored 50, in ${stale}: 7`);
    expect(await storedExport(data)).toBe(afterEdit);

    const current = await cli("--data-dir", data, "config", "import", "--base-revision", "2", stale);
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout).toContain("as revision 3");
  });

  it("--data-dir naming a file is a plain configuration error", async () => {
    const dir = tempDir();
    const file = writeJson(dir, "not-a-folder", {});
    const result = await cli("--data-dir", file, "status");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is a file, not a folder");
    expect(result.stderr).not.toContain("EEXIST");
    expect(existsSync(file) && readFileSync(file, "utf8")).toBe("{}");
  });
});
