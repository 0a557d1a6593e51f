import { describe, expect, it } from "vitest";
import { withEnvOverrides } from "../../../electron/engine/secrets/env-override";
import { createMemorySecretStore } from "../../../electron/engine/secrets/memory-store";

describe("environment overrides", () => {
  it("prefers PROVISIONDESK_* variables over the stored secret and falls back when they are unset or empty", async () => {
    const inner = createMemorySecretStore();
    await inner.set("p", "client-secret", "stored-secret");
    await inner.set("p", "scim-token", "stored-token");
    const store = withEnvOverrides(inner, { PROVISIONDESK_CLIENT_SECRET: "env-secret", PROVISIONDESK_SCIM_TOKEN: "" });
    expect(await store.get("p", "client-secret")).toBe("env-secret");
    expect(await store.get("p", "scim-token")).toBe("stored-token");
    expect(await store.has("q", "client-secret")).toBe(true);
    expect(await store.has("q", "scim-token")).toBe(false);
  });

  it("writes to the underlying store, never to the environment", async () => {
    const inner = createMemorySecretStore();
    const env: NodeJS.ProcessEnv = {};
    await withEnvOverrides(inner, env).set("p", "scim-token", "t");
    expect(await inner.get("p", "scim-token")).toBe("t");
    expect(env).toEqual({});
  });
});

describe("memory store", () => {
  it("keeps secrets per profile and name", async () => {
    const store = createMemorySecretStore();
    await store.set("a", "scim-token", "1");
    expect(await store.get("b", "scim-token")).toBeNull();
    expect(await store.get("a", "client-secret")).toBeNull();
    expect(await store.delete("a", "scim-token")).toBe(true);
    expect(await store.has("a", "scim-token")).toBe(false);
  });
});
