import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startScimServer } from "../../../electron/emulators/scim/index";
import { createUser, entraUser, patchOp, scim } from "./helpers";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dbFile = () => {
  const d = mkdtempSync(join(tmpdir(), "scim-emu-"));
  dirs.push(d);
  return join(d, "target.sqlite");
};

describe("SQLite persistence (dbFile)", () => {
  it("keeps users, groups, members and meta across a restart, in creation order", async () => {
    const file = dbFile();
    const first = await startScimServer({ dbFile: file });
    const [u1, u2] = [await createUser(first, 1), await createUser(first, 2)];
    const g = (await scim(first, "POST", "/Groups", { displayName: "Sales", members: [{ value: u1 }] })).body
      .id as string;
    await scim(first, "PATCH", `/Groups/${g}`, patchOp({ op: "add", path: "members", value: [{ value: u2 }] }));
    await scim(first, "PATCH", `/Users/${u1}`, patchOp({ op: "replace", path: "active", value: false }));
    await scim(first, "DELETE", `/Users/${u2}`);
    const users = first.listUsers();
    const groups = first.listGroups();
    await first.close();

    const second = await startScimServer({ dbFile: file });
    try {
      expect(second.listUsers()).toEqual(users);
      expect(second.listGroups()).toEqual(groups);
      expect(groups[0]?.members.map((m) => m.value)).toEqual([u1]);
      // Indexes are rebuilt: uniqueness and lookups still work after the restart.
      expect((await scim(second, "POST", "/Users", entraUser(1))).status).toBe(409);
      expect((await scim(second, "GET", `/Users/${u1}`)).body.active).toBe(false);
    } finally {
      await second.close();
    }
  });

  it("reset() empties the database too", async () => {
    const file = dbFile();
    const first = await startScimServer({ dbFile: file });
    await createUser(first, 1);
    first.reset();
    await first.close();
    const second = await startScimServer({ dbFile: file });
    expect(second.listUsers()).toEqual([]);
    await second.close();
  });

  it("without dbFile nothing survives", async () => {
    const first = await startScimServer();
    await createUser(first, 1);
    await first.close();
    const second = await startScimServer();
    expect(second.listUsers()).toEqual([]);
    await second.close();
  });
});
