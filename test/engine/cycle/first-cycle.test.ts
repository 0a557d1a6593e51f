import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDeltaLink, linkCounts, listCycles, listLogEntries } from "../../../electron/engine/db";
import { restartProvisioning } from "../../../electron/engine/cycle";
import type { Plan, PlannedAction } from "../../../electron/engine/cycle/types";
import { defaultRules } from "../../../electron/engine/rules";
import { actualTarget, expectedScope, expectedTarget, SSO, startWorld, targetWrites, type World } from "./harness";

describe("first and second cycle", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ users: 80 });
  });
  afterAll(() => w.close());

  it("a first cycle leaves the target holding exactly the expected users, groups and memberships", async () => {
    const { summary } = await w.run();
    expect(summary.error).toBeNull();
    expect(summary.outcome).toBe("succeeded");
    expect(summary.kind).toBe("initial");
    const expected = expectedTarget(w.graphEmu);
    expect(expected.users.length).toBeGreaterThan(5);
    expect(expected.groups.some((g) => g.members.length > 1)).toBe(true);
    expect(actualTarget(w.scimSrv)).toEqual(expected);
    expect(summary.counts.users.create).toBe(expected.users.length);
    expect(summary.counts.groups.create).toBe(expected.groups.length);
    expect(summary.counts.memberships.added).toBe(expected.groups.reduce((n, g) => n + g.members.length, 0));
    expect(summary.requests.target).toBe(w.scimSrv.requests.length);
    expect(summary.requests.graph).toBeGreaterThan(0);
  });

  it("looks every user up in one paged read of the empty target, not one GET per user", () => {
    const gets = w.scimSrv.requests.filter((r) => r.method === "GET" && r.path === "/Users");
    expect(gets).toHaveLength(1);
    expect(gets[0]!.query.filter).toBeUndefined();
    expect(w.scimSrv.requests.filter((r) => r.query.filter !== undefined)).toEqual([]);
  });

  it("logs each object with its steps and attribute changes", async () => {
    const [cycle] = listCycles(w.db, w.profile.name, 1);
    const entries = listLogEntries(w.db, w.profile.name, { cycleId: cycle!.id, limit: 1000 });
    const create = entries.find((e) => e.objectType === "user" && e.action === "Create")!;
    expect(create.status).toBe("Success");
    expect(create.targetId).toBeTruthy();
    expect(create.modified).toContainEqual({
      attribute: "urn:ietf:params:scim:schemas:extension:Splashtop:2.0:User:ssoName",
      old: null,
      new: SSO,
    });
    expect(create.steps.map((s) => s.name)).toEqual(["Determine scope", "Match", "Provision"]);
  });

  it("a second cycle sends no write to the target and reads only changes from Graph", async () => {
    const mark = w.scimSrv.requests.length;
    const graphMark = w.graphEmu.requests.length;
    const { summary } = await w.run();
    expect(summary.kind).toBe("incremental");
    expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    expect(w.scimSrv.requests.length).toBe(mark);
    const graphPaths = w.graphEmu.requests.slice(graphMark).map((r) => r.path.split("?")[0]);
    expect(graphPaths.filter((p) => /\/(users|groups)/.test(p!))).toEqual(["/v1.0/users/delta", "/v1.0/groups/delta"]);
  });
});

describe("restart", () => {
  it("makes the next cycle an initial one that re-links instead of re-creating", async () => {
    const w = await startWorld({ users: 60, seed: 3 });
    try {
      await w.run();
      restartProvisioning(w.db, w.profile.name);
      const mark = w.scimSrv.requests.length;
      const { summary } = await w.run();
      expect(summary.kind).toBe("initial");
      expect(targetWrites(w.scimSrv, mark)).toEqual([]);
    } finally {
      await w.close();
    }
  });
});

/** The object actions a real cycle performed, as its log records them, in a plan's shape (member changes aside). */
function performed(w: World, cycleId: number): Pick<PlannedAction, "objectType" | "sourceId" | "action" | "changes">[] {
  return listLogEntries(w.db, w.profile.name, { cycleId, limit: 10_000 })
    .filter((e) => e.status === "Success" && ["Create", "Update", "Disable", "Delete"].includes(e.action))
    .filter((e) => !e.modified.some((m) => m.attribute.startsWith("members")))
    .map((e) => ({
      objectType: e.objectType as PlannedAction["objectType"],
      sourceId: e.sourceId,
      action: e.action as PlannedAction["action"],
      changes: e.modified,
    }))
    .sort((a, b) => a.sourceId.localeCompare(b.sourceId));
}

const planned = (plan: Plan | null) =>
  plan!.actions
    .map(({ objectType, sourceId, action, changes }) => ({ objectType, sourceId, action, changes }))
    .sort((a, b) => a.sourceId.localeCompare(b.sourceId));

describe("dry run", () => {
  it("writes nothing, and its plan is what the following real run does", async () => {
    const w = await startWorld({ users: 60, seed: 3 });
    try {
      const dry = await w.run({ dryRun: true });
      expect(dry.summary.dryRun).toBe(true);
      expect(targetWrites(w.scimSrv)).toEqual([]);
      expect(w.scimSrv.listUsers()).toEqual([]);
      expect(linkCounts(w.db, w.profile.name)).toEqual({ users: 0, groups: 0 });
      expect(getDeltaLink(w.db, w.profile.name, "users")).toBeUndefined();
      expect(dry.plan!.actions.length).toBeGreaterThan(5);
      const real = await w.run();
      expect(performed(w, real.summary.id)).toEqual(planned(dry.plan));
      expect(real.summary.counts).toEqual(dry.summary.counts);
      // Every planned create happened, with exactly the planned values.
      const users = w.scimSrv.listUsers();
      for (const a of dry.plan!.actions.filter((x) => x.objectType === "user")) {
        const upn = a.changes.find((c) => c.attribute === "userName")!.new;
        expect(users.find((u) => u.userName === upn)?.displayName).toBe(
          a.changes.find((c) => c.attribute === "displayName")?.new,
        );
      }
      // After changes, a dry run again previews exactly the next real cycle.
      const someone = w.graphEmu.admin.getUser(
        String(dry.plan!.actions[0]!.changes.find((c) => c.attribute === "userName")!.new),
      )!;
      w.graphEmu.admin.updateUser(someone.id, { displayName: "Preview Me" });
      w.graphEmu.admin.purgeUser(
        String(
          w.graphEmu.admin.getUser(String(dry.plan!.actions[1]!.changes.find((c) => c.attribute === "userName")!.new))!
            .id,
        ),
      );
      const mark = w.scimSrv.requests.length;
      const dry2 = await w.run({ dryRun: true });
      expect(targetWrites(w.scimSrv, mark)).toEqual([]);
      expect(dry2.plan!.actions.map((a) => a.action).sort()).toEqual(["Delete", "Update"]);
      const real2 = await w.run();
      expect(performed(w, real2.summary.id)).toEqual(planned(dry2.plan));
      const sent = targetWrites(w.scimSrv, mark);
      expect(
        sent
          .filter((r) => r.path.startsWith("/Users"))
          .map((r) => r.method)
          .sort(),
      ).toEqual(["DELETE", "PATCH"]);
      // The purged user's memberships are removed first, one PATCH per group, as planned.
      expect(sent.filter((r) => r.path.startsWith("/Groups"))).toHaveLength(dry2.plan!.memberships.length);
    } finally {
      await w.close();
    }
  });
});

describe("custom mappings", () => {
  it("expressions give the expected target values", async () => {
    const rules = defaultRules("splashtop", SSO);
    rules.users.mappings = rules.users.mappings.map((m) =>
      m.target === "displayName"
        ? {
            type: "Expression",
            expression: 'Join(" ", [givenName], [surname])',
            target: "displayName",
            apply: "Always",
          }
        : m.target === "userName"
          ? { ...m, type: "Expression", source: undefined, expression: "ToLower([userPrincipalName])" }
          : m,
    );
    const w = await startWorld({ users: 40, seed: 5, rules });
    try {
      const admin = w.graphEmu.admin;
      const id = [...expectedScope(w.graphEmu).userIds].find((u) => admin.getUser(u)?.accountEnabled)!;
      admin.updateUser(id, { userPrincipalName: "Mixed.Case.Person@Contoso.com", givenName: "Zoë", surname: "d'Arcy" });
      const { summary } = await w.run();
      expect(summary.error).toBeNull();
      const user = w.scimSrv.listUsers().find((u) => u.externalId === admin.getUser(id)!.mailNickname)!;
      expect(user.userName).toBe("mixed.case.person@contoso.com");
      expect(user.displayName).toBe("Zoë d'Arcy");
      for (const u of w.scimSrv.listUsers()) expect(u.userName).toBe(u.userName.toLowerCase());
    } finally {
      await w.close();
    }
  });
});

describe("a full read", () => {
  it("lists the target while Graph's pages are read, not after the last of them", async () => {
    const w = await startWorld({ users: 80, pageSize: 5 });
    try {
      const { summary } = await w.run();
      expect(summary.outcome).toBe("succeeded");
      const listed = w.scimSrv.requests.find((r) => r.method === "GET" && r.path === "/Users");
      const pages = w.graphEmu.requests.filter((r) => r.path.includes("/delta"));
      expect(pages.length).toBeGreaterThan(16);
      expect(Date.parse(listed!.time)).toBeLessThan(Date.parse(pages.at(-1)!.time));
    } finally {
      await w.close();
    }
  });
});
