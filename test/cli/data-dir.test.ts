import { describe, expect, it } from "vitest";
import { defaultDataDir } from "../../electron/cli/data-dir";

describe("default data folder", () => {
  it("follows each OS's convention, and PROVISIONDESK_DATA_DIR wins everywhere", () => {
    expect(defaultDataDir({ APPDATA: "C:\\Users\\ann\\AppData\\Roaming" }, "win32", "C:\\Users\\ann")).toMatch(
      /AppData[\\/]Roaming[\\/]ProvisionDesk$/,
    );
    expect(defaultDataDir({}, "darwin", "/Users/ann")).toBe("/Users/ann/Library/Application Support/ProvisionDesk");
    expect(defaultDataDir({ XDG_CONFIG_HOME: "/cfg" }, "linux", "/home/ann")).toBe("/cfg/provision-desk");
    expect(defaultDataDir({ XDG_CONFIG_HOME: "" }, "linux", "/home/ann")).toBe("/home/ann/.config/provision-desk");
    for (const platform of ["win32", "darwin", "linux"] as const) {
      expect(
        defaultDataDir({ PROVISIONDESK_DATA_DIR: "/srv/pd", APPDATA: "x", XDG_CONFIG_HOME: "y" }, platform, "/h"),
      ).toBe("/srv/pd");
    }
  });
});
