import { expect, it } from "vitest";
import { startScimServer } from "../../../electron/emulators/scim/index";
import { entraUser, patchOp, scim } from "./helpers";

it("several servers in one process keep their own users, locations and modes", async () => {
  const [lax, strict] = await Promise.all([startScimServer(), startScimServer({ strict: true })]);
  try {
    const created = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => scim(n % 2 ? lax : strict, "POST", "/Users", entraUser(n))),
    );
    for (const [i, r] of created.entries()) {
      const server = (i + 1) % 2 ? lax : strict;
      expect(r.status).toBe(201);
      expect(r.body.meta.location).toBe(`${server.tenantUrl}/Users/${r.body.id}`);
      expect(r.headers.get("location")).toBe(`${server.tenantUrl}/Users/${r.body.id}`);
    }
    expect(lax.listUsers().map((u) => u.userName)).toEqual([
      "user1@contoso.com",
      "user3@contoso.com",
      "user5@contoso.com",
    ]);
    expect(strict.listUsers()).toHaveLength(3);
    const disable = patchOp({ op: "Replace", path: "active", value: "False" });
    expect((await scim(lax, "PATCH", `/Users/${lax.listUsers()[0]?.id}`, disable)).status).toBe(200);
    expect((await scim(strict, "PATCH", `/Users/${strict.listUsers()[0]?.id}`, disable)).status).toBe(400);
    expect((await scim(strict, "GET", `/Users/${lax.listUsers()[0]?.id}`)).status).toBe(404);
  } finally {
    await Promise.all([lax.close(), strict.close()]);
  }
});
