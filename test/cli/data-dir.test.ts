import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultDataDir, resolveDataDir } from "../../electron/cli/data-dir";
import { main } from "../../electron/cli/main";
import { sampleProfile, writeJson } from "./run-cli";

describe("default data folder", () => {
  it("is the app's userData folder on each OS, and PROVISIONDESK_DATA_DIR wins everywhere", () => {
    expect(defaultDataDir({ APPDATA: "C:\\Users\\ann\\AppData\\Roaming" }, "win32", "C:\\Users\\ann")).toMatch(
      /AppData[\\/]Roaming[\\/]ProvisionDesk$/,
    );
    expect(defaultDataDir({}, "darwin", "/Users/ann")).toBe("/Users/ann/Library/Application Support/ProvisionDesk");
    expect(defaultDataDir({ XDG_CONFIG_HOME: "/cfg" }, "linux", "/home/ann")).toBe("/cfg/ProvisionDesk");
    expect(defaultDataDir({ XDG_CONFIG_HOME: "" }, "linux", "/home/ann")).toBe("/home/ann/.config/ProvisionDesk");
    for (const platform of ["win32", "darwin", "linux"] as const) {
      expect(
        defaultDataDir({ PROVISIONDESK_DATA_DIR: "/srv/pd", APPDATA: "x", XDG_CONFIG_HOME: "y" }, platform, "/h"),
      ).toBe("/srv/pd");
    }
  });
});

async function cli(env: NodeJS.ProcessEnv, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main({
    argv,
    env,
    stdin: [],
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    platform: "linux",
  });
  return { code, stdout, stderr };
}

describe("the CLI's old Linux folder", () => {
  it("moves into the shared folder once, with the profile, and is not merged into a folder that has data", async () => {
    const home = mkdtempSync(join(tmpdir(), "pd-home-"));
    const env = { XDG_CONFIG_HOME: join(home, ".config"), HOME: home };
    const old = join(home, ".config", "provision-desk");
    // An earlier CLI stored a profile there.
    const imported = await cli(env, "--data-dir", old, "config", "import", writeJson(home, "p.json", sampleProfile()));
    expect(imported.code, imported.stderr).toBe(0);

    const moved = await cli(env, "config", "export");
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toContain(`Moved the data folder from ${old} to ${join(home, ".config", "ProvisionDesk")}`);
    expect(JSON.parse(moved.stdout)).toMatchObject({ name: "splashtop" });
    expect(existsSync(old)).toBe(false);
    expect(readdirSync(join(home, ".config", "ProvisionDesk"))).toContain("profiles.sqlite");

    // Another old folder next to a shared folder that already has data: left alone, and the admin is told.
    mkdirSync(old);
    writeFileSync(join(old, "state.sqlite"), "");
    const kept = resolveDataDir(env, "linux", home);
    expect(kept.notice).toContain("left as it is");
    expect(readFileSync(join(old, "state.sqlite"), "utf8")).toBe("");
  });
});
