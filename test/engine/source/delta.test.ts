// Full then changes-only reads of users and groups from the Graph emulator: removal kinds, restores,
// membership changes, big groups spread across pages, replays, expired links and throttling.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "../../../electron/engine/http";
import { readGroupsDelta, readUsersDelta, type GroupDelta } from "../../../electron/engine/source";
import { generateDirectory, startGraphEmulator, type GraphEmulator } from "../../../electron/emulators/graph";
import { connect } from "./helpers";

const USER_SELECT = ["displayName", "userPrincipalName", "accountEnabled", "department"];
const GROUP_SELECT = ["displayName", "members"];

const emulators: GraphEmulator[] = [];
async function emulator(options: Parameters<typeof startGraphEmulator>[0] = {}): Promise<GraphEmulator> {
  const emu = await startGraphEmulator(options);
  emulators.push(emu);
  return emu;
}
afterAll(() => Promise.all(emulators.map((e) => e.close())));

const memberIds = (g: GroupDelta | undefined) => (g?.members.added.map((m) => m.id) ?? []).sort();

describe("users", () => {
  let emu: GraphEmulator;
  let source: ReturnType<typeof connect>;
  beforeAll(async () => {
    emu = await emulator({ pageSize: 7 });
    source = connect(emu);
  });

  it("reads everyone on a full read, then only the changes, with soft delete, restore and hard delete", async () => {
    const first = await readUsersDelta(source.graph, { select: USER_SELECT });
    expect(first).toMatchObject({ full: true, resynced: false });
    expect(first.users.size).toBe(emu.admin.listUsers().length);
    const someone = emu.admin.listUsers()[3]!;
    expect(first.users.get(someone.id)?.attributes).toMatchObject({
      displayName: someone.displayName,
      userPrincipalName: someone.userPrincipalName,
    });

    const [renamed, disabled, binned, purged, restored] = emu.admin.listUsers().slice(0, 5);
    emu.admin.softDeleteUser(restored!.id);
    const afterBin = await readUsersDelta(source.graph, { select: USER_SELECT, deltaLink: first.deltaLink });
    expect(afterBin.users.get(restored!.id)?.removed).toBe("changed");

    emu.admin.updateUser(renamed!.id, { department: "Quality" });
    emu.admin.disableUser(disabled!.id);
    emu.admin.softDeleteUser(binned!.id);
    emu.admin.purgeUser(purged!.id);
    emu.admin.restoreUser(restored!.id);
    const created = emu.admin.addUser({ displayName: "Zoë D'Arcy" });

    const second = await readUsersDelta(source.graph, { select: USER_SELECT, deltaLink: afterBin.deltaLink });
    expect(second).toMatchObject({ full: false, resynced: false });
    expect([...second.users.keys()].sort()).toEqual(
      [renamed!.id, disabled!.id, binned!.id, purged!.id, restored!.id, created.id].sort(),
    );
    expect(second.users.get(renamed!.id)).toMatchObject({ attributes: { department: "Quality" } });
    expect(second.users.get(renamed!.id)?.removed).toBeUndefined();
    expect(second.users.get(disabled!.id)?.attributes).toMatchObject({ accountEnabled: false });
    expect(second.users.get(binned!.id)?.removed).toBe("changed");
    expect(second.users.get(purged!.id)?.removed).toBe("deleted");
    expect(second.users.get(restored!.id)?.removed).toBeUndefined();
    expect(second.users.get(created.id)?.attributes).toMatchObject({ displayName: "Zoë D'Arcy" });

    const quiet = await readUsersDelta(source.graph, { select: USER_SELECT, deltaLink: second.deltaLink });
    expect(quiet.users.size).toBe(0);
  });

  it("gives the manager as an object id, and null once removed", async () => {
    const [worker, boss, otherBoss] = emu.admin.listUsers().slice(10, 13);
    emu.admin.setManager(worker!.id, boss!.id);
    const first = await readUsersDelta(source.graph, { select: ["displayName", "manager"] });
    expect(first.users.get(worker!.id)?.attributes).toMatchObject({ manager: boss!.id });

    emu.admin.setManager(worker!.id, otherBoss!.id);
    const moved = await readUsersDelta(source.graph, {
      select: ["displayName", "manager"],
      deltaLink: first.deltaLink,
    });
    expect(moved.users.get(worker!.id)?.attributes).toMatchObject({ manager: otherBoss!.id });

    emu.admin.setManager(worker!.id, null);
    const removed = await readUsersDelta(source.graph, {
      select: ["displayName", "manager"],
      deltaLink: moved.deltaLink,
    });
    expect(removed.users.get(worker!.id)?.attributes).toMatchObject({ manager: null });
  });

  it("tells each page's ids of a changes-only read as the page is handled", async () => {
    const first = await readUsersDelta(source.graph, { select: USER_SELECT });
    const changed = emu.admin.listUsers().slice(0, 10);
    for (const u of changed) emu.admin.updateUser(u.id, { department: "Pages" });
    const pages: string[][] = [];
    const read = await readUsersDelta(source.graph, {
      select: USER_SELECT,
      deltaLink: first.deltaLink,
      onPage: (ids) => pages.push(ids),
    });
    expect(pages.map((p) => p.length)).toEqual([7, 3]);
    expect(pages.flat().sort()).toEqual(changed.map((u) => u.id).sort());
    expect([...read.users.keys()].sort()).toEqual(pages.flat().sort());
  });

  it("ends a read whose page cannot be handled only once the page it asked for ahead is answered", async () => {
    const first = await readUsersDelta(source.graph, { select: USER_SELECT });
    for (const u of emu.admin.listUsers().slice(0, 10)) emu.admin.updateUser(u.id, { department: "Again" });
    const before = emu.requests.length;
    const failing = readUsersDelta(source.graph, {
      select: USER_SELECT,
      deltaLink: first.deltaLink,
      onPage: () => {
        throw new Error("disk full");
      },
    });
    await expect(failing).rejects.toThrow("disk full");
    const pages = emu.requests.slice(before).filter((r) => r.path.includes("/delta"));
    expect(pages.map((r) => r.status)).toEqual([200, 200]);
  });

  it("restarts with a full read when the stored link has expired", async () => {
    const first = await readUsersDelta(source.graph, { select: USER_SELECT });
    emu.admin.expireDeltaTokens();
    const pages: string[][] = [];
    const again = await readUsersDelta(source.graph, {
      select: USER_SELECT,
      deltaLink: first.deltaLink,
      onPage: (ids) => pages.push(ids),
    });
    // A full round is not a changes-only one: its pages hold everyone, and nobody is told of them.
    expect(pages).toEqual([]);
    expect(again).toMatchObject({ full: true, resynced: true });
    expect(again.users.size).toBe(emu.admin.listUsers().length);
    expect(again.deltaLink).not.toBe(first.deltaLink);
  });
});

describe("groups", () => {
  it("reports member adds and removes, renames and deletions on a changes-only read", async () => {
    const emu = await emulator();
    const { graph } = connect(emu);
    const first = await readGroupsDelta(graph, { select: ["displayName"] }); // "members" is added for us
    const group = emu.admin.listGroups().find((g) => g.members.length >= 2)!;
    expect(memberIds(first.groups.get(group.id))).toEqual([...group.members].sort());

    const leaving = group.members[0]!;
    const joining = emu.admin.listUsers().find((u) => !group.members.includes(u.id))!;
    const doomed = emu.admin.createGroup({ displayName: "Temp" });
    const mid = await readGroupsDelta(graph, { select: GROUP_SELECT, deltaLink: first.deltaLink });
    emu.admin.removeMember(group.id, leaving);
    emu.admin.addMember(group.id, joining.id);
    emu.admin.renameGroup(group.id, "Sales & Marketing");
    emu.admin.deleteGroup(doomed.id);

    const second = await readGroupsDelta(graph, { select: GROUP_SELECT, deltaLink: mid.deltaLink });
    expect(second.full).toBe(false);
    expect(second.groups.get(group.id)).toEqual({
      id: group.id,
      attributes: { displayName: "Sales & Marketing" },
      members: { added: [{ id: joining.id, type: "user" }], removed: [leaving] },
    });
    expect(second.groups.get(doomed.id)?.removed).toBe("deleted");
  });

  it("merges a big group spread across pages into its complete membership", async () => {
    const directory = generateDirectory({ seed: 7, users: 600, groups: 6 });
    const emu = await emulator({ directory, deltaMembersPerPage: 50, pageSize: 3 });
    const big = emu.admin.createGroup({ displayName: "Everyone", members: emu.admin.listUsers().map((u) => u.id) });
    const { graph } = connect(emu);
    const before = emu.requests.length;
    const result = await readGroupsDelta(graph, { select: GROUP_SELECT });
    const pages = emu.requests.slice(before).filter((r) => r.path.startsWith("/v1.0/groups/delta")).length;
    expect(pages).toBeGreaterThan(big.members.length / 50);
    expect(memberIds(result.groups.get(big.id))).toEqual([...big.members].sort());
    for (const g of emu.admin.listGroups()) expect(memberIds(result.groups.get(g.id))).toEqual([...g.members].sort());
  });

  it("gives the same result when Graph replays entries", async () => {
    const directory = generateDirectory({ seed: 11, users: 300 });
    const [plain, replaying] = await Promise.all([
      emulator({ directory, pageSize: 10 }),
      emulator({ directory, pageSize: 10, deltaReplayRate: 0.3, deltaMembersPerPage: 20 }),
    ]);
    const read = async (emu: GraphEmulator) => {
      const { graph } = connect(emu);
      const users = await readUsersDelta(graph, { select: USER_SELECT });
      const groups = await readGroupsDelta(graph, { select: GROUP_SELECT });
      const sortedGroups = [...groups.groups.values()].map((g) => ({
        ...g,
        members: { added: [...g.members.added].sort((a, b) => a.id.localeCompare(b.id)), removed: g.members.removed },
      }));
      return {
        users: [...users.users.values()].sort((a, b) => a.id.localeCompare(b.id)),
        groups: sortedGroups.sort((a, b) => a.id.localeCompare(b.id)),
      };
    };
    const [expected, actual] = [await read(plain), await read(replaying)];
    expect(replaying.requests.length).toBeGreaterThan(plain.requests.length); // replays really happened (more pages)
    expect(actual).toEqual(expected);
  });
});

describe("throttling", () => {
  it("reads the right result through a storm of 429s, waiting as told and counting the retries", async () => {
    const emu = await emulator({ pageSize: 2 });
    const delays: number[] = [];
    const http = createHttpClient({ caPem: emu.caPem, sleep: async (ms) => void delays.push(ms) });
    const source = connect(emu, { http });
    const expected = new Set(emu.admin.listUsers().map((u) => u.id));
    emu.admin.setThrottling({
      status: 429,
      fraction: 0.5,
      count: 12,
      path: /^\/v1\.0\/users\/delta/,
      retryAfter: "0.25",
    });
    const result = await readUsersDelta(source.graph, { select: USER_SELECT });
    expect(new Set(result.users.keys())).toEqual(expected);
    const throttled = emu.counters().throttled;
    expect(throttled).toBeGreaterThan(5);
    expect(http.stats).toMatchObject({ retries: throttled, throttled });
    expect(delays).toHaveLength(throttled);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(250); // Retry-After: 0.25 honoured
    expect(source.graph.requestCount).toBe(Math.ceil(expected.size / 2)); // retries are the HTTP layer's, not extra Graph calls
  });
});
