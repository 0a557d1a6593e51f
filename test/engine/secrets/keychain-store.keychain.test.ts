import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeychainSecretStore } from "../../../electron/engine/secrets/keychain-store";

// The project's runner sets PROVISIONDESK_KEYCHAIN_TESTS=1 and runs this file inside dbus-run-session with an
// unlocked gnome-keyring. Then a missing Secret Service must fail the run; without the variable the file is skipped.
const enabled = process.env.PROVISIONDESK_KEYCHAIN_TESTS === "1";

describe.skipIf(!enabled)("OS keychain secret store", () => {
  const store = createKeychainSecretStore();
  const profile = `test-${randomUUID()}`;

  it("stores, reads, isolates per profile and deletes a secret", async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, "no D-Bus session: run inside dbus-run-session").toBeTruthy();
    await store.set(profile, "scim-token", "tok-1 with spaces");
    expect(await store.get(profile, "scim-token")).toBe("tok-1 with spaces");
    expect(await store.has(profile, "scim-token")).toBe(true);
    expect(await store.get(profile, "client-secret")).toBeNull();
    expect(await store.get(`${profile}-other`, "scim-token")).toBeNull();

    await store.set(profile, "scim-token", "tok-2");
    expect(await store.get(profile, "scim-token")).toBe("tok-2");

    expect(await store.delete(profile, "scim-token")).toBe(true);
    expect(await store.has(profile, "scim-token")).toBe(false);
    expect(await store.delete(profile, "scim-token")).toBe(false);
  });
});
