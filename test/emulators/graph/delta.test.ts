import { afterEach, describe, expect, it } from "vitest";
import {
  generateDirectory,
  startGraphEmulator,
  type GraphEmulator,
  type GraphEmulatorOptions,
} from "../../../electron/emulators/graph";
import { deltaRound, httpFor, type Http } from "./helpers";

type Obj = Record<string, unknown>;
let emu: GraphEmulator | undefined;
let http: Http | undefined;

async function start(options: GraphEmulatorOptions = {}): Promise<{ emu: GraphEmulator; http: Http }> {
  emu = await startGraphEmulator({
    directory: generateDirectory({ seed: 3, users: 60, groups: 6 }),
    pageSize: 25,
    ...options,
  });
  http = httpFor(emu);
  return { emu, http };
}

afterEach(async () => {
  await http?.close();
  await emu?.close();
  emu = undefined;
  http = undefined;
});

const byId = (values: Obj[]) => new Map(values.map((v) => [v.id as string, v]));

describe("users/delta", () => {
  it("pages a full round through nextLinks and ends with a deltaLink; query options go on the first call only", async () => {
    const { emu, http } = await start();
    const round = await deltaRound(http, "/v1.0/users/delta?$select=displayName,accountEnabled,mobilePhone");
    expect(round.pages).toHaveLength(3);
    round.pages.slice(0, -1).forEach((p) => {
      expect(p).not.toHaveProperty("@odata.deltaLink");
      const next = new URL(p["@odata.nextLink"] as string);
      expect(`${next.origin}${next.pathname}`).toBe(`${emu.graphBaseUrl}/v1.0/users/delta`);
      expect([...next.searchParams.keys()]).toEqual(["$skiptoken"]);
    });
    const last = round.pages.at(-1) as Obj;
    expect(last).not.toHaveProperty("@odata.nextLink");
    const deltaLink = new URL(round.deltaLink);
    expect(`${deltaLink.origin}${deltaLink.pathname}`).toBe(`${emu.graphBaseUrl}/v1.0/users/delta`);
    expect([...deltaLink.searchParams.keys()]).toEqual(["$deltatoken"]);
    expect(byId(round.values).size).toBe(60);
    // Selected properties (never-set ones left out) plus id; the selection survives into later pages.
    for (const v of round.values) {
      expect(Object.keys(v).every((k) => ["displayName", "accountEnabled", "mobilePhone", "id"].includes(k))).toBe(
        true,
      );
      expect(v).toHaveProperty("displayName");
    }
    expect(round.values.some((v) => !("mobilePhone" in v))).toBe(true);
  });

  it("returns only changes on the next round: updates, soft delete (changed), purge (deleted), new users, restores", async () => {
    const { emu, http } = await start();
    const first = await deltaRound(http, "/v1.0/users/delta?$select=displayName,accountEnabled,userPrincipalName");
    const [a, b, c, d, f] = emu.admin.listUsers();
    emu.admin.updateUser(a?.id ?? "", { displayName: "Zoë Ångström-O'Brien" });
    emu.admin.disableUser(b?.id ?? "");
    emu.admin.softDeleteUser(c?.id ?? "");
    emu.admin.purgeUser(d?.id ?? "");
    const e = emu.admin.addUser({ displayName: "José Müller" });
    emu.admin.updateUser(f?.id ?? "", { jobTitle: "Not tracked by this round" });

    const second = await deltaRound(http, first.deltaLink);
    const got = byId(second.values);
    expect([...got.keys()].sort()).toEqual([a?.id, b?.id, c?.id, d?.id, e.id].sort());
    expect(got.get(a?.id ?? "")).toMatchObject({
      displayName: "Zoë Ångström-O'Brien",
      accountEnabled: a?.accountEnabled,
    });
    expect(got.get(b?.id ?? "")).toMatchObject({ accountEnabled: false });
    expect(got.get(c?.id ?? "")).toEqual({ id: c?.id, "@removed": { reason: "changed" } });
    expect(got.get(d?.id ?? "")).toEqual({ id: d?.id, "@removed": { reason: "deleted" } });
    expect(got.get(e.id)).toMatchObject({
      displayName: "José Müller",
      userPrincipalName: "jose.muller@contoso.com",
      accountEnabled: true,
    });

    emu.admin.restoreUser(c?.id ?? "");
    const third = await deltaRound(http, second.deltaLink);
    expect(third.values).toHaveLength(1);
    expect(third.values[0]).toMatchObject({ id: c?.id, displayName: c?.displayName });
    expect(third.values[0]).not.toHaveProperty("@removed");

    const quiet = await deltaRound(http, third.deltaLink);
    expect(quiet.values).toEqual([]);
    expect(quiet.deltaLink).not.toBe(third.deltaLink);
  });

  it("honours Prefer: return=minimal on incremental rounds", async () => {
    const { emu, http } = await start();
    const first = await deltaRound(http, "/v1.0/users/delta?$select=displayName,jobTitle,department");
    const u = emu.admin.listUsers()[5];
    emu.admin.updateUser(u?.id ?? "", { jobTitle: null });
    const minimal = await deltaRound(http, first.deltaLink, { prefer: "return=minimal" });
    expect(minimal.values).toEqual([{ jobTitle: null, id: u?.id }]);
  });

  it("starts from now with $deltaToken=latest", async () => {
    const { emu, http } = await start();
    const latest = await http.get("/v1.0/users/delta?$select=displayName&$deltaToken=latest");
    expect(latest.body.value).toEqual([]);
    expect(latest.body["@odata.deltaLink"]).toMatch(/\$deltatoken=/);
    const added = emu.admin.addUser({ displayName: "Renée D'Angelo" });
    const next = await deltaRound(http, latest.body["@odata.deltaLink"] as string);
    expect(next.values).toEqual([{ displayName: "Renée D'Angelo", id: added.id }]);
  });

  it("answers expired and unknown tokens with 410 syncStateNotFound", async () => {
    const { emu, http } = await start();
    const first = await deltaRound(http, "/v1.0/users/delta?$select=displayName");
    const page1 = await http.get("/v1.0/users/delta?$select=displayName");
    emu.admin.expireDeltaTokens();
    for (const link of [
      first.deltaLink,
      page1.body["@odata.nextLink"] as string,
      `${emu.graphBaseUrl}/v1.0/users/delta?$deltatoken=bogus`,
    ]) {
      const r = await http.get(link);
      expect(r.status).toBe(410);
      expect((r.body.error as Obj).code).toBe("syncStateNotFound");
    }
    // A full sync still works and gives a fresh deltaLink.
    expect((await deltaRound(http, "/v1.0/users/delta?$select=displayName")).values).toHaveLength(60);
  });

  it("serves the same page again when a nextLink is retried (after a 429 for example)", async () => {
    const { http } = await start();
    const p1 = await http.get("/v1.0/users/delta?$select=displayName");
    const next = p1.body["@odata.nextLink"] as string;
    const a = await http.get(next);
    const b = await http.get(next);
    expect(b.body.value).toEqual(a.body.value);
  });

  it("can answer empty pages that still carry a nextLink", async () => {
    const { http } = await start({ deltaEmptyPageRate: 0.4, seed: 4, pageSize: 10 });
    const round = await deltaRound(http, "/v1.0/users/delta?$select=displayName");
    const empties = round.pages.filter((p) => (p.value as Obj[]).length === 0);
    expect(empties.length).toBeGreaterThan(0);
    for (const p of empties) expect(p).toHaveProperty("@odata.nextLink");
    expect(byId(round.values).size).toBe(60);
  });

  it("tracks only the objects named by $filter=id eq ... or id eq ...", async () => {
    const { emu, http } = await start();
    const [a, b, c] = emu.admin.listUsers();
    const filter = encodeURIComponent(`id eq '${a?.id}' or id eq '${b?.id}'`);
    const first = await deltaRound(http, `/v1.0/users/delta?$select=displayName&$filter=${filter}`);
    expect(first.values.map((v) => v.id).sort()).toEqual([a?.id, b?.id].sort());
    emu.admin.updateUser(b?.id ?? "", { displayName: "Changed" });
    emu.admin.updateUser(c?.id ?? "", { displayName: "Not tracked" });
    expect((await deltaRound(http, first.deltaLink)).values).toEqual([{ displayName: "Changed", id: b?.id }]);
  });

  it("reports manager@delta when manager is selected", async () => {
    const { emu, http } = await start();
    const first = await deltaRound(http, "/v1.0/users/delta?$select=displayName,manager");
    const withManager = emu.admin.listUsers().find((u) => u.managerId);
    expect(byId(first.values).get(withManager?.id ?? "")?.["manager@delta"]).toEqual([
      { "@odata.type": "#microsoft.graph.user", id: withManager?.managerId },
    ]);
    const [m, u] = emu.admin.listUsers().slice(-2);
    emu.admin.setManager(u?.id ?? "", m?.id ?? "");
    const second = await deltaRound(http, first.deltaLink);
    expect(second.values).toEqual([
      expect.objectContaining({ id: u?.id, "manager@delta": [{ "@odata.type": "#microsoft.graph.user", id: m?.id }] }),
    ]);
  });
});

describe("groups/delta", () => {
  it("lists members@delta, splits a big group over several pages and reports only member changes later", async () => {
    const { emu, http } = await start({ deltaMembersPerPage: 20 });
    const users = emu.admin.listUsers();
    const big = emu.admin.createGroup({
      displayName: "Everyone Ångström",
      members: users.slice(0, 55).map((u) => u.id),
    });
    const first = await deltaRound(http, "/v1.0/groups/delta?$select=displayName,members");
    const bigPages = first.pages.filter((p) => (p.value as Obj[]).some((g) => g.id === big.id));
    expect(bigPages.length).toBeGreaterThanOrEqual(3);
    const slices = first.values.filter((g) => g.id === big.id);
    expect(slices[0]).toMatchObject({ displayName: "Everyone Ångström" });
    const merged = new Set(slices.flatMap((s) => (s["members@delta"] as Obj[]).map((m) => m.id)));
    expect(merged.size).toBe(55);
    expect((slices[0]?.["members@delta"] as Obj[])[0]).toEqual({
      "@odata.type": "#microsoft.graph.user",
      id: users[0]?.id,
    });

    const nested = emu.admin.listGroups()[0];
    emu.admin.removeMember(big.id, users[1]?.id ?? "");
    emu.admin.addMember(big.id, users[58]?.id ?? "");
    emu.admin.addMember(big.id, nested?.id ?? "");
    const second = await deltaRound(http, first.deltaLink);
    expect(second.values).toHaveLength(1);
    const entry = second.values[0] as Obj;
    expect(entry.id).toBe(big.id);
    expect(new Set(entry["members@delta"] as Obj[])).toEqual(
      new Set([
        { "@odata.type": "#microsoft.graph.user", id: users[1]?.id, "@removed": { reason: "deleted" } },
        { "@odata.type": "#microsoft.graph.user", id: users[58]?.id },
        { "@odata.type": "#microsoft.graph.group", id: nested?.id },
      ]),
    );
  });

  it("reports renames without members@delta, deleted groups, and members that were soft-deleted", async () => {
    const { emu, http } = await start();
    const first = await deltaRound(http, "/v1.0/groups/delta?$select=displayName,description,members");
    const [g1, g2, g3] = emu.admin.listGroups().filter((g) => g.members.length > 0);
    emu.admin.renameGroup(g1?.id ?? "", "Müller's Renamed Group");
    emu.admin.deleteGroup(g2?.id ?? "");
    const member = g3?.members.find((m) => emu?.admin.getUser(m)) ?? "";
    emu.admin.softDeleteUser(member);
    const second = await deltaRound(http, first.deltaLink);
    const got = byId(second.values);
    expect(got.get(g1?.id ?? "")).toMatchObject({ displayName: "Müller's Renamed Group" });
    expect(got.get(g1?.id ?? "")).not.toHaveProperty("members@delta");
    expect(got.get(g2?.id ?? "")).toEqual({ id: g2?.id, "@removed": { reason: "deleted" } });
    expect(got.get(g3?.id ?? "")?.["members@delta"]).toEqual([
      { "@odata.type": "#microsoft.graph.user", id: member, "@removed": { reason: "deleted" } },
    ]);
  });

  it("reports a recycled Microsoft 365 group as changed, and brings it back with its members when restored", async () => {
    const { emu, http } = await start();
    const [a, b] = emu.admin.listUsers();
    const team = emu.admin.createGroup({
      displayName: "Équipe Zoë",
      groupTypes: ["Unified"],
      mailEnabled: true,
      securityEnabled: false,
      members: [a?.id ?? "", b?.id ?? ""],
    });
    const first = await deltaRound(http, "/v1.0/groups/delta?$select=displayName,members");
    emu.admin.softDeleteGroup(team.id);
    const second = await deltaRound(http, first.deltaLink);
    expect(second.values).toEqual([{ id: team.id, "@removed": { reason: "changed" } }]);
    expect((await http.get(`/v1.0/groups/${team.id}`)).status).toBe(404);
    emu.admin.restoreGroup(team.id);
    const third = await deltaRound(http, second.deltaLink);
    expect(third.values).toHaveLength(1);
    expect(third.values[0]).toMatchObject({ id: team.id, displayName: "Équipe Zoë" });
    expect(new Set((third.values[0]?.["members@delta"] as Obj[]).map((m) => m.id))).toEqual(new Set([a?.id, b?.id]));
  });

  it("replays objects on later pages when asked to, deterministically for a seed (users)", async () => {
    const run = async () => {
      const { http } = await start({ deltaReplayRate: 0.3, seed: 11, pageSize: 10 });
      const round = await deltaRound(http, "/v1.0/users/delta?$select=displayName");
      await http.close();
      await emu?.close();
      return round.pages.map((p) => (p.value as Obj[]).map((v) => v.id as string));
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    const ids = a.flat();
    expect(ids.length).toBeGreaterThan(60);
    expect(new Set(ids).size).toBe(60);
    // Each repeat comes on a later page than the object's first appearance.
    const firstPage = new Map<string, number>();
    a.forEach((page, n) =>
      page.forEach((id) => {
        if (!firstPage.has(id)) firstPage.set(id, n);
        else expect(n).toBeGreaterThan(firstPage.get(id) ?? n);
      }),
    );
  });
});
