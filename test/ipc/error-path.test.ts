import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ProfileSchema } from "../../shared/config/profile";
import type { Result } from "../../shared/ipc/result";
import { DEFAULT_CLIENT_SECRET } from "../../electron/emulators/graph";
import { createDispatcher } from "../../electron/app/dispatcher";
import { createHandlers } from "../../electron/app/handlers";
import { acquireCycleLock } from "../../electron/engine/lock";
import { createMemorySecretStore, SecretStoreUnavailableError, type SecretStore } from "../../electron/engine/secrets";
import { runCli, tempDir, writeJson } from "../cli/run-cli";
import { useServiceWorld } from "../engine/service/world";

/**
 * One error path: the real engine against the emulators, through the one dispatcher (what the window gets) and
 * through the real CLI (what an admin or a script gets). Each failure an admin can cause comes out with its own code
 * and the engine's message, never as INTERNAL.
 */
const world = useServiceWorld({ seed: 5 });
const internalErrors: unknown[] = [];

afterEach(() => {
  expect(internalErrors.splice(0)).toEqual([]); // none of these is a bug
});

const profile = () => ProfileSchema.parse(world.profile("errors"));

/** The real engine behind the real dispatcher; `call` is what the window's invoke gets back. */
async function windowOnto(options: { secrets?: SecretStore; configured?: boolean; scimToken?: string | null } = {}) {
  const secrets = options.secrets ?? (await world.secretsFor("errors"));
  if (!options.secrets && options.scimToken === null) await secrets.delete("errors", "scim-token");
  else if (!options.secrets && options.scimToken) await secrets.set("errors", "scim-token", options.scimToken);
  const { service, dataDir } = world.openService({ secrets });
  if (options.configured !== false) await service.importProfile(profile());
  const dispatch = createDispatcher(createHandlers(service), {
    isTrustedSender: () => true,
    onInternalError: (_method, error) => internalErrors.push(error),
  });
  const call = (method: string, payload: unknown = {}) => dispatch(method, payload, "window");
  return { service, dataDir, call };
}

const errorOf = (result: Result<unknown>) => {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  return result.ok ? undefined : result.error;
};

describe("engine errors reach the window with their own code and the admin's message", () => {
  it("Provision Now without a profile: NOT_CONFIGURED", async () => {
    const { call } = await windowOnto({ configured: false });
    expect(errorOf(await call("sync.provisionNow"))).toMatchObject({
      code: "NOT_CONFIGURED",
      message: expect.stringMatching(/No profile is set up.*config import/),
    });
  });

  it("Target browse without the SCIM token: SECRET_MISSING, saying where to put it", async () => {
    const { call } = await windowOnto({ scimToken: null });
    expect(errorOf(await call("target.browse", { limit: 10 }))).toMatchObject({
      code: "SECRET_MISSING",
      message: expect.stringContaining("SCIM secret token of the target app is not set"),
    });
  });

  it("Test with a user on an unknown user: NOT_FOUND, naming the user", async () => {
    const { call } = await windowOnto();
    expect(errorOf(await call("rules.test", { user: "nobody@contoso.test" }))).toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining('No user "nobody@contoso.test" was found in Entra ID'),
    });
  });

  it("Provision Now while another process holds the lock, or while this app runs a cycle: LOCKED", async () => {
    const { call, dataDir } = await windowOnto();
    const lock = acquireCycleLock(dataDir, "the provision-desk CLI (sync)");
    try {
      expect(errorOf(await call("sync.provisionNow"))).toMatchObject({
        code: "LOCKED",
        message: expect.stringContaining("the provision-desk CLI (sync)"),
      });
    } finally {
      lock.release();
    }
    const running = call("sync.provisionNow", { dryRun: true });
    expect(errorOf(await call("sync.provisionNow"))).toMatchObject({
      code: "LOCKED",
      message: expect.stringContaining("A cycle is already running"),
    });
    expect((await running).ok).toBe(true);
  });

  it("setSecret with no OS keychain: SECRET_STORE, with the way out", async () => {
    // The keychain store's own error (a real keychain cannot be switched off reliably inside a test process;
    // the CLI test below runs the real keychain store without a Secret Service).
    const noKeychain = createMemorySecretStore();
    noKeychain.set = () =>
      Promise.reject(
        new SecretStoreUnavailableError(
          "Could not write to the OS keychain (Couldn't access platform storage). Install a Secret Service provider, or set PROVISIONDESK_SCIM_TOKEN.",
          "Couldn't access platform storage: AccessDenied",
        ),
      );
    const { call } = await windowOnto({ secrets: noKeychain });
    expect(errorOf(await call("connections.setSecret", { name: "scim-token", value: "x".repeat(20) }))).toMatchObject({
      code: "SECRET_STORE",
      message: expect.stringContaining("PROVISIONDESK_SCIM_TOKEN"),
      detail: "Couldn't access platform storage: AccessDenied",
    });
  });

  it("a target that refuses the token (401) and an Entra that refuses the secret: AUTH", async () => {
    const target = await windowOnto({ scimToken: "not-the-token-000000" });
    expect(errorOf(await target.call("target.browse", { limit: 10 }))).toMatchObject({
      code: "AUTH",
      message: expect.stringContaining("rejected the token (401)"),
      detail: expect.stringContaining("HTTP 401"),
    });
    const wrongSecret = createMemorySecretStore();
    await wrongSecret.set("errors", "client-secret", "not-the-secret");
    const source = await windowOnto({ secrets: wrongSecret });
    expect(errorOf(await source.call("rules.test", { user: "nobody@contoso.test" }))).toMatchObject({
      code: "AUTH",
      message: expect.stringMatching(/secret/i),
    });
  });
});

describe("the CLI maps the same errors the same way (README exit codes: 2 config or usage, 4 auth, 1 other)", () => {
  let profileFile: string;
  const env = () => ({
    PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
    PROVISIONDESK_SCIM_TOKEN: world.scim.token,
  });
  beforeAll(() => {
    profileFile = writeJson(tempDir("pd-errors-cli-"), "profile.json", {
      ...world.profile("errors"),
    });
  });
  const imported = async () => {
    const data = join(tempDir("pd-errors-data-"), "data");
    const result = await runCli(["--data-dir", data, "config", "import", profileFile], { env: env() });
    expect(result.code, result.stderr).toBe(0);
    return data;
  };

  it("not configured: exit 2; unknown user: exit 2 with NOT_FOUND; locked: exit 1 with LOCKED", async () => {
    const empty = join(tempDir("pd-errors-data-"), "data");
    const notConfigured = await runCli(["--data-dir", empty, "--verbose", "sync"], { env: env() });
    expect(notConfigured.code, notConfigured.stderr).toBe(2);
    expect(notConfigured.stderr).toMatch(/^Error: No profile is set up/);
    expect(notConfigured.stderr).toContain("Code: NOT_CONFIGURED");

    const data = await imported();
    const unknown = await runCli(["--data-dir", data, "--verbose", "rules", "test", "--user", "nobody@contoso.test"], {
      env: env(),
    });
    expect(unknown.code, unknown.stderr).toBe(2); // a --user that does not exist is a usage error
    expect(unknown.stderr).toContain('Error: No user "nobody@contoso.test" was found in Entra ID');
    expect(unknown.stderr).toContain("Code: NOT_FOUND");

    const lock = acquireCycleLock(data, "the ProvisionDesk app");
    try {
      const locked = await runCli(["--data-dir", data, "--verbose", "sync"], { env: env() });
      expect(locked.code, locked.stderr).toBe(1);
      expect(locked.stderr).toContain(
        "Error: Another sync cycle is running for this data folder: the ProvisionDesk app",
      );
      expect(locked.stderr).toContain("Code: LOCKED");
    } finally {
      lock.release();
    }
  }, 60_000);

  it("no OS keychain: exit 2 with SECRET_STORE; a refused credential: exit 4 with AUTH", async () => {
    const data = await imported();
    const noKeychain = await runCli(["--data-dir", data, "--verbose", "secret", "set", "scim-token"], {
      env: { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" },
      input: "a-token-value-0123456789\n",
    });
    if (process.platform === "linux") {
      expect(noKeychain.code, noKeychain.stderr + noKeychain.stdout).toBe(2);
      expect(noKeychain.stderr).toContain("Code: SECRET_STORE");
    }

    const refused = await runCli(["--data-dir", data, "--verbose", "rules", "test", "--user", "nobody@contoso.test"], {
      env: { ...env(), PROVISIONDESK_CLIENT_SECRET: "not-the-secret" },
    });
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain("Code: AUTH");
    expect(refused.stderr).not.toMatch(/unexpected problem/);
  }, 60_000);
});
