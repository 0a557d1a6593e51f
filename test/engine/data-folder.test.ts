import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireCycleLock, LOCK_FILE_NAME } from "../../electron/engine/lock";
import { createMemorySecretStore } from "../../electron/engine/secrets";
import { createEngineService, type ProvisionDeskService } from "../../electron/engine/service";

const mode = (path: string) => statSync(path).mode & 0o777;
const services: ProvisionDeskService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
});
const open = (dataDir: string) => {
  const service = createEngineService({ dataDir, secrets: createMemorySecretStore(), scheduled: false });
  services.push(service);
  return service;
};
const profile = {
  source: { tenantId: "t", clientId: "c", appId: "a" },
  target: { tenantUrl: "https://my.splashtop.com/scim/v1", ssoMethodName: "Acme SSO" },
};

describe.skipIf(process.platform === "win32")("the data folder is private", () => {
  it("is created 0700 with every file in it 0600, the SQLite side files included", async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "pd-modes-")), "nested", "data");
    const service = open(dataDir);
    await service.saveProfile(profile, null);
    service.dashboard();
    const lock = acquireCycleLock(dataDir, "a test");
    expect(mode(dataDir)).toBe(0o700);
    const files = readdirSync(dataDir);
    expect(files).toEqual(
      expect.arrayContaining(["state.sqlite", "profiles.sqlite", "state.sqlite-wal", LOCK_FILE_NAME]),
    );
    for (const file of files) expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
    lock.release();
  });

  it("makes an existing folder written by an older version private when it is opened", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pd-modes-"));
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, "state.sqlite.damaged-2026"), "old", { mode: 0o644 });
    acquireCycleLock(dataDir, "an older version").release();
    chmodSync(join(dataDir, LOCK_FILE_NAME), 0o644);
    mkdirSync(join(dataDir, "Cache"), { mode: 0o755 }); // Chromium's, in the app's folder: left as it is
    open(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    for (const file of ["state.sqlite", "profiles.sqlite", "state.sqlite.damaged-2026", LOCK_FILE_NAME])
      expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
    expect(mode(join(dataDir, "Cache"))).toBe(0o755);
  });
});

describe("a data folder that is not a folder", () => {
  it("is a configuration error in plain words", () => {
    const file = join(mkdtempSync(join(tmpdir(), "pd-modes-")), "data");
    writeFileSync(file, "");
    expect(() => open(file)).toThrow(
      expect.objectContaining({ kind: "config", message: expect.stringContaining("is a file, not a folder") }),
    );
    expect(() => open(join(file, "below"))).toThrow(expect.objectContaining({ kind: "config" }));
  });
});
