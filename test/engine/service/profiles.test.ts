import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDispatcher } from "../../../electron/app/dispatcher";
import { createHandlers } from "../../../electron/app/handlers";
import { redactText } from "../../../electron/app/redact";
import { linkCounts, migrate, openDatabase, putLink } from "../../../electron/engine/db";
import { MIGRATIONS } from "../../../electron/engine/db/migrations";
import { createMemorySecretStore } from "../../../electron/engine/secrets";
import type { SecretStore } from "../../../electron/engine/secrets/secret-store";
import { createEngineService, DATABASE_FILE, type ProvisionDeskService } from "../../../electron/engine/service";

const services: ProvisionDeskService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
});

const profile = (name: string, overrides: Record<string, unknown> = {}) => ({
  name,
  source: { tenantId: "t", clientId: "c", appId: "a" },
  target: { tenantUrl: "https://my.splashtop.com/scim/v1", ssoMethodName: "Acme SSO" },
  ...overrides,
});

function open(dataDir: string, secrets: SecretStore = createMemorySecretStore(), profileName?: string) {
  const service = createEngineService({ dataDir, secrets, scheduled: false, ...(profileName ? { profileName } : {}) });
  services.push(service);
  return service;
}
const tempData = () => mkdtempSync(join(tmpdir(), "pd-profiles-"));

describe("profiles in the app", () => {
  it("creates with baseRevision null, refuses invalid saves leaving the stored profile exactly as it was", async () => {
    const service = open(tempData());
    expect(service.profileView()).toEqual({ profile: null, revision: null, problems: [] });
    expect(await service.saveProfile(profile("acme"), null)).toEqual({ status: "saved", revision: 1, problems: [] });
    const stored = service.profileView();
    expect(stored).toMatchObject({ revision: 1, profile: { name: "acme" } });
    expect(service.listProfiles()).toEqual({
      active: "acme",
      profiles: [{ name: "acme", revision: 1, updatedAt: expect.any(String) }],
    });

    const invalid = await service.saveProfile(
      profile("acme", {
        target: { tenantUrl: "https://u:p@scim.example.com", ssoMethodName: "X", colour: "red" },
        schedule: { intervalMinutes: 1 },
      }),
      1,
    );
    expect(invalid.status).toBe("invalid");
    expect(invalid.status === "invalid" && invalid.problems.map((p) => p.path).sort()).toEqual([
      "schedule.intervalMinutes",
      "target.colour",
      "target.tenantUrl",
    ]);
    expect(service.profileView()).toEqual(stored);
  });

  it("an app edit and a CLI import of the same profile cannot overwrite each other silently", async () => {
    const dataDir = tempData();
    const app = open(dataDir);
    await app.saveProfile(profile("acme"), null);
    const base = app.profileView().revision!;

    // Another process (the CLI) imports over it.
    const cli = open(dataDir);
    const imported = await cli.saveProfile(profile("acme", { schedule: { intervalMinutes: 90 } }), "overwrite");
    expect(imported).toMatchObject({ status: "saved", revision: base + 1 });

    const edit = await app.saveProfile(profile("acme", { safety: { deletionThreshold: 3 } }), base);
    expect(edit).toEqual({
      status: "conflict",
      revision: base + 1,
      changes: [
        { path: "safety.deletionThreshold", stored: 500, submitted: 3 },
        { path: "schedule.intervalMinutes", stored: 90, submitted: 40 },
      ],
    });
    // The app sees the other process's save without restarting.
    expect(app.profileView().profile?.schedule.intervalMinutes).toBe(90);
    expect(app.dashboard().intervalMinutes).toBe(90);
  });

  it("renames with secrets and links, validates names, selects and deletes", async () => {
    const dataDir = tempData();
    const secrets = createMemorySecretStore();
    const service = open(dataDir, secrets);
    await service.saveProfile(profile("acme"), null);
    await service.saveProfile(profile("beta"), null);
    await secrets.set("acme", "scim-token", "tok");
    const db = openDatabase(join(dataDir, DATABASE_FILE));
    putLink(db, "acme", { type: "user", sourceId: "s1", targetId: "t1", matchedBy: "userName", created: "t" });

    await expect(service.renameProfile("acme", "../x")).rejects.toMatchObject({ kind: "config" });
    await expect(service.renameProfile("acme", "beta")).rejects.toThrow(/already exists/);
    const renamed = await service.renameProfile("acme", "contoso");
    expect(renamed).toMatchObject({
      active: "contoso",
      profiles: [{ name: "beta" }, { name: "contoso", revision: 2 }],
    });
    expect(await secrets.get("contoso", "scim-token")).toBe("tok");
    expect(await secrets.has("acme", "scim-token")).toBe(false);
    expect(linkCounts(db, "contoso").users).toBe(1);
    expect(service.profileView().profile?.name).toBe("contoso");

    expect((await service.selectProfile("beta")).active).toBe("beta");
    // A new process without --profile uses the selection.
    expect(open(dataDir).profileView().profile?.name).toBe("beta");
    await expect(service.selectProfile("nope")).rejects.toThrow(/No profile named "nope"/);

    const left = await service.deleteProfile("contoso");
    expect(left.profiles.map((p) => p.name)).toEqual(["beta"]);
    expect(await secrets.has("contoso", "scim-token")).toBe(false);
    expect(linkCounts(db, "contoso").users).toBe(0);
    db.close();
  });

  it("setup of an additional profile stores its secrets under its own name; the profile in use keeps its own", async () => {
    const secrets = createMemorySecretStore();
    const service = open(tempData(), secrets);
    await service.saveProfile(profile("acme"), null);
    await service.setSecret("scim-token", "acme-token");
    await service.saveProfile(profile("contoso"), null);
    await service.setSecret("scim-token", "contoso-token", "contoso");
    expect(await secrets.get("acme", "scim-token")).toBe("acme-token");
    expect(await secrets.get("contoso", "scim-token")).toBe("contoso-token");
    expect(service.listProfiles().active).toBe("acme");
    // A name with no stored profile is refused before anything is stored.
    await expect(service.setSecret("scim-token", "lost", "typo")).rejects.toThrow('no stored profile named "typo"');
    expect(await secrets.has("typo", "scim-token")).toBe(false);
  });

  it("carries the contract end to end: profile.save answers with problems at their paths, never an exception", async () => {
    const service = open(tempData());
    const trusted = {};
    const dispatch = createDispatcher(createHandlers(service), { isTrustedSender: (s) => s === trusted });
    const bad = await dispatch(
      "profile.save",
      { profile: profile("acme", { schedual: {} }), baseRevision: null },
      trusted,
    );
    expect(bad).toEqual({
      ok: true,
      value: { status: "invalid", problems: [expect.objectContaining({ path: "schedual", severity: "error" })] },
    });
    expect(await dispatch("profile.save", { profile: profile("acme"), baseRevision: null }, trusted)).toMatchObject({
      ok: true,
      value: { status: "saved", revision: 1 },
    });
    expect(await dispatch("profile.get", {}, trusted)).toMatchObject({
      ok: true,
      value: { revision: 1, profile: { name: "acme", target: { tenantUrl: "https://my.splashtop.com/scim/v1" } } },
    });
    // The full output schemas accept what the engine really produces (the preset's default rules included).
    for (const preset of ["splashtop", "generic"] as const) {
      const saved = await service.saveProfile(
        profile("acme", {
          target: { preset, tenantUrl: "https://scim.example.com/v1", ssoMethodName: "Acme SSO" },
          deprovision: "delete",
        }),
        "overwrite",
      );
      expect(saved.status).toBe("saved");
      expect(await dispatch("mappings.get", {}, trusted)).toMatchObject({ ok: true, value: { problems: [] } });
      expect(await dispatch("connections.get", {}, trusted)).toMatchObject({
        ok: true,
        value: { profile: { deprovision: { users: "delete", groups: "delete" } } },
      });
    }
    expect(await dispatch("profiles.rename", { from: "acme", to: "a/b" }, trusted)).toMatchObject({
      ok: false,
      error: { code: "VALIDATION" },
    });
  });

  it("shows a certificate's key file path in the window (a path, not a secret) and never a password inside a URL", async () => {
    const service = open(tempData());
    const trusted = {};
    const dispatch = createDispatcher(createHandlers(service), { isTrustedSender: (s) => s === trusted });
    const credential = { type: "certificate", certificateFile: "/etc/pd/cert.pem", privateKeyFile: "/etc/pd/key.pem" };
    const withCert = profile("acme", { source: { tenantId: "t", clientId: "c", appId: "a", credential } });
    expect(await dispatch("profile.save", { profile: withCert, baseRevision: null }, trusted)).toMatchObject({
      ok: true,
    });
    expect(await dispatch("profile.get", {}, trusted)).toMatchObject({
      ok: true,
      value: { profile: { source: { credential } } },
    });
    expect(redactText("refused https://admin:hunter2@scim.example.com/v1 (401)")).toBe(
      "refused https://[redacted]@scim.example.com/v1 (401)",
    );
  });

  it("an earlier version's data folder keeps its profile, moved out of the state database, and its links", async () => {
    const dataDir = tempData();
    const old = new Database(join(dataDir, DATABASE_FILE));
    migrate(old, MIGRATIONS.slice(0, 1));
    old
      .prepare("INSERT INTO profiles (name, json, updated) VALUES (?, ?, ?)")
      .run("acme", JSON.stringify(profile("acme")), "2026-01-01T00:00:00.000Z");
    old.prepare("INSERT INTO links VALUES ('acme', 'user', 's1', 't1', 'userName', 't')").run();
    old.close();

    const service = open(dataDir);
    expect(service.profileView()).toMatchObject({ revision: 1, profile: { name: "acme" }, problems: [] });
    expect(service.dashboard()).toMatchObject({ profileName: "acme", linked: { users: 1 } });
    await service.close();
    const migrated = new Database(join(dataDir, DATABASE_FILE));
    expect(migrated.prepare("SELECT name FROM sqlite_master WHERE name = 'profiles'").all()).toEqual([]);
    migrated.close();
  });

  it("schedules cycles for a profile saved in the window and stops when it is deleted", async () => {
    const service = createEngineService({ dataDir: tempData(), secrets: createMemorySecretStore() });
    services.push(service);
    expect(service.dashboard().nextCycleAt).toBeNull();
    await service.saveProfile(profile("acme", { schedule: { intervalMinutes: 15 } }), null);
    const next = Date.parse(service.dashboard().nextCycleAt!);
    expect(next - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(next - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    await service.deleteProfile("acme");
    expect(service.dashboard()).toMatchObject({ profileName: null, nextCycleAt: null });
  });
});
