import { beforeAll, describe, expect, it } from "vitest";
import type { ProfileInput } from "../../../shared/config/profile";
import type { DraftProfile } from "../../../shared/ipc/draft-model";
import {
  ALL_PERMISSIONS,
  DEFAULT_CLIENT_SECRET,
  generateDirectory,
  type UserRecord,
} from "../../../electron/emulators/graph";
import { FUNCTIONS } from "../../../electron/engine/rules";
import { createDispatcher } from "../../../electron/app/dispatcher";
import { createHandlers } from "../../../electron/app/handlers";
import { json, startServer } from "../http/local-server";
import { defaultClientWith } from "../../emulators/graph/helpers";
import { useServiceWorld } from "./world";

// The configuration screens' engine queries, on the real engine against the Graph and SCIM emulators.
const LIMITED_CLIENT = "00000000-0000-0000-0000-00000000abcd";
const EXTENSION = "extension_0123456789abcdef0123456789abcdef_costCenter";

let people: Record<"direct" | "member" | "nested" | "stranger" | "disabled", UserRecord>;
let groups: { outer: string; inner: string };

const world = useServiceWorld({
  directory: generateDirectory({ seed: 11, users: 40 }),
  seed: 11,
  clients: defaultClientWith([...ALL_PERMISSIONS, "Directory.Read.All"], {
    clientId: LIMITED_CLIENT,
    clientSecret: DEFAULT_CLIENT_SECRET,
    permissions: ["User.Read.All"],
  }),
});

beforeAll(() => {
  const admin = world.graph.admin;
  const add = (name: string, extra: Partial<UserRecord> = {}) =>
    admin.addUser({
      userPrincipalName: `${name}@contoso.com`,
      displayName: name.replace(".", " "),
      givenName: name.split(".")[0],
      surname: name.split(".")[1],
      mailNickname: name,
      department: "Field",
      ...extra,
    });
  people = {
    direct: add("dora.direct", { [EXTENSION]: "CC-42" }),
    member: add("mia.member"),
    nested: add("nick.nested"),
    stranger: add("sam.stranger"),
    disabled: add("dan.disabled"),
  };
  admin.assign(people.direct.id);
  admin.assign(people.disabled.id);
  admin.disableUser(people.disabled.id);
  const inner = admin.createGroup({ displayName: "Inner Team", members: [people.nested.id] });
  const outer = admin.createGroup({ displayName: "Outer Team", members: [people.member.id, inner.id] });
  admin.assign(outer.id);
  groups = { outer: outer.id, inner: inner.id };
});
const profileInput = (name = "svc", overrides: Partial<ProfileInput> = {}): ProfileInput => ({
  ...world.profile(name),
  ...overrides,
});
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit the draft JSON freely, as the window does
type Editable = Record<string, any>;
/** What the window sends: the profile as plain JSON. */
const draftOf = (input: ProfileInput, change: (d: Editable) => void = () => {}): DraftProfile => {
  const draft = JSON.parse(JSON.stringify(input)) as Editable;
  change(draft);
  return draft as DraftProfile;
};

async function openService(options: { import?: boolean } = {}) {
  const secrets = await world.secretsFor("svc");
  const { service } = world.openService({ secrets });
  if (options.import !== false) await service.importProfile(profileInput());
  return { service, secrets };
}

describe("Test with a user: the engine's full scope decision", () => {
  it("says why each user is in or out of scope, step by step", async () => {
    const { service } = await openService();
    const stranger = await service.testRules(people.stranger.userPrincipalName!);
    expect(stranger.scope).toMatchObject({ inScope: false, isSoftDeleted: true, reason: "not assigned to the app" });
    expect(stranger.scope.steps[0]).toMatchObject({ step: "assignment", outcome: "fail" });
    expect(stranger.wouldProvision).toBe(false);

    const direct = await service.testRules(people.direct.id);
    expect(direct.scope.steps.map((s) => [s.step, s.outcome])).toEqual([
      ["assignment", "pass"],
      ["scopingFilter", "pass"],
      ["accountState", "pass"],
    ]);
    expect(direct.wouldProvision).toBe(true);

    const member = await service.testRules(people.member.userPrincipalName!);
    expect(member.scope.steps[0]).toMatchObject({
      step: "groupMembership",
      outcome: "pass",
      via: [{ id: groups.outer, displayName: "Outer Team" }],
    });
    expect(member.scope.steps[0]!.message).toBe('Member of "Outer Team", which is assigned to the app.');

    const nested = await service.testRules(people.nested.userPrincipalName!);
    expect(nested.scope.inScope).toBe(false);
    expect(nested.scope.steps[0]).toMatchObject({
      step: "groupMembership",
      outcome: "fail",
      via: [{ displayName: "Outer Team" }, { displayName: "Inner Team" }],
    });
    expect(nested.scope.steps[0]!.message).toMatch(
      /^Member of "Inner Team", nested in "Outer Team", which is assigned to the app, but nested groups are not followed/,
    );
    expect(stranger.scope.steps[0]!.message).toBe(
      "Not assigned to the app, neither directly nor through an assigned group.",
    );

    const disabled = await service.testRules(people.disabled.userPrincipalName!);
    expect(disabled.scope).toMatchObject({ inScope: true, isSoftDeleted: true, reason: "account disabled in Entra" });
    expect(disabled.scope.steps.at(-1)).toMatchObject({ step: "accountState", outcome: "info" });
    expect(disabled.attributes.find((a) => a.target === "active")).toMatchObject({ value: "False" });
    expect(disabled.wouldProvision).toBe(false);
  });

  it("runs on an unsaved draft: nested groups followed, and the scoping clause that decided", async () => {
    const { service } = await openService();
    const nestedDraft = draftOf(profileInput(), (d) => (d.source.includeNestedGroups = true));
    const nested = await service.testRules(people.nested.id, nestedDraft);
    expect(nested.scope.inScope).toBe(true);
    expect(nested.scope.steps[0]).toMatchObject({
      step: "groupMembership",
      via: [
        { id: groups.outer, displayName: "Outer Team" },
        { id: groups.inner, displayName: "Inner Team" },
      ],
    });
    expect(nested.scope.steps[0]!.message).toBe(
      'Member of "Inner Team", nested in "Outer Team", which is assigned to the app.',
    );

    const filtered = draftOf(profileInput(), (d) => {
      d.rules = {
        users: {
          mappings: [{ type: "Direct", source: "userPrincipalName", target: "userName", matching: { precedence: 1 } }],
          scopingFilters: [
            { title: "Sales only", clauses: [{ attribute: "department", operator: "EQUALS", value: "Sales" }] },
          ],
        },
        groups: { mappings: [] },
      };
    });
    const out = await service.testRules(people.direct.id, filtered);
    expect(out.scope.inScope).toBe(false);
    expect(out.scope.steps.find((s) => s.step === "scopingFilter")).toMatchObject({
      outcome: "fail",
      clause: { filterIndex: 0, clauseIndex: 0, filterTitle: "Sales only", attribute: "department", value: "Sales" },
    });
    expect(out.attributes.map((a) => a.target)).toEqual(["userName"]);
  });

  it("agrees with what the following cycle provisions", async () => {
    const { service } = await openService();
    await service.provisionNow({ dryRun: false, full: false, allowDeletes: false });
    const provisioned = new Set(world.scim.listUsers().map((u) => String(u.userName).toLowerCase()));
    for (const user of [...Object.values(people), ...world.graph.admin.listUsers().slice(0, 8)]) {
      const report = await service.testRules(user.id);
      const created = provisioned.has(String(user.userPrincipalName).toLowerCase());
      expect({ user: user.userPrincipalName, created }).toEqual({
        user: user.userPrincipalName,
        created: report.scope.inScope && !report.scope.isSoftDeleted,
      });
    }
  });

  it("names picked groups, and a user deleted in Entra since the last cycle", async () => {
    const { service } = await openService();
    const picked = draftOf(profileInput(), (d) => (d.source.scope = { groups: ["Outer Team"] }));
    const member = await service.testRules(people.member.id, picked);
    expect(member.scope.steps[0]!.message).toBe('Member of "Outer Team", a group picked for provisioning.');
    const direct = await service.testRules(people.direct.id, picked);
    expect(direct.scope.steps[0]).toMatchObject({
      outcome: "fail",
      message: "Not a member of the groups picked for provisioning.",
    });

    const leaver = world.graph.admin.addUser({
      userPrincipalName: "lee.leaver@contoso.com",
      displayName: "Lee Leaver",
    });
    world.graph.admin.assign(leaver.id);
    await service.provisionNow({ dryRun: false, full: false, allowDeletes: false });
    world.graph.admin.softDeleteUser(leaver.id);
    await service.provisionNow({ dryRun: false, full: false, allowDeletes: false });
    // Graph no longer lists the user; the state database still knows it, so the answer is "deleted", not "not found".
    const gone = await service.testRules("lee.leaver@contoso.com");
    expect(gone.scope).toMatchObject({ inScope: false, isSoftDeleted: true, reason: "deleted in Entra (restorable)" });
    expect(gone.scope.steps).toEqual([
      { step: "deleted", outcome: "fail", message: "The user is deleted in Entra (restorable)." },
    ]);
  });

  it("answers an unknown user with a plain NOT_FOUND through the IPC dispatcher", async () => {
    const { service } = await openService();
    await expect(service.testRules("nobody@contoso.com")).rejects.toMatchObject({ kind: "notFound" });
    const dispatch = createDispatcher(createHandlers(service), { isTrustedSender: () => true });
    const result = await dispatch("rules.test", { user: "nobody@contoso.com" }, {});
    expect(result).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(!result.ok && result.error.message).toContain('No user "nobody@contoso.com" was found');
  });
});

describe("scope.preview", () => {
  it("counts the draft's scope as the next cycle creates it, and a filter makes the count drop", async () => {
    const { service } = await openService({ import: false });
    const picked = draftOf(profileInput(), (d) => (d.source.scope = { groups: ["Outer Team", groups.inner] }));
    const preview = await service.previewScope(picked, 10);
    expect(preview).toMatchObject({ status: "ok", inScope: 2, disabled: 0, groups: 2 });
    if (preview.status !== "ok") return;
    expect(preview.sample.map((u) => u.userPrincipalName).sort()).toEqual([
      "mia.member@contoso.com",
      "nick.nested@contoso.com",
    ]);
    expect(preview.total).toBe(world.graph.admin.listUsers().length);

    const requestsBefore = world.graph.requests.length;
    const filtered = draftOf(profileInput(), (d) => {
      d.source.scope = { groups: ["Outer Team", groups.inner] };
      d.rules = {
        users: {
          mappings: [{ type: "Direct", source: "userPrincipalName", target: "userName", matching: { precedence: 1 } }],
          scopingFilters: [{ clauses: [{ attribute: "givenName", operator: "EQUALS", value: "nick" }] }],
        },
        groups: { mappings: [] },
      };
    });
    expect(await service.previewScope(filtered, 10)).toMatchObject({ status: "ok", inScope: 1, groups: 2 });
    // Typing in the filter builder re-decides on the cached read: Graph is not asked again.
    expect(world.graph.requests.length).toBe(requestsBefore);

    await service.importProfile(picked);
    await service.setSecret("client-secret", DEFAULT_CLIENT_SECRET);
    await service.setSecret("scim-token", world.scim.token);
    const cycle = await service.provisionNow({ dryRun: false, full: false, allowDeletes: false });
    expect(cycle.counts.users.create).toBe(preview.inScope);
    expect(world.scim.listUsers()).toHaveLength(preview.inScope);
  });

  it("answers an invalid draft with its problems at their JSON paths instead of failing", async () => {
    const { service } = await openService();
    const bad = draftOf(profileInput(), (d) => {
      d.target.tenantUrl = "not a url";
      d.source.scope = "some";
    });
    const result = await service.previewScope(bad, 5);
    expect(result.status).toBe("invalid");
    expect(result.status === "invalid" && result.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(["target.tenantUrl", "source.scope"]),
    );
    const badRegex = draftOf(profileInput(), (d) => {
      d.rules = {
        users: {
          mappings: [{ type: "Direct", source: "userPrincipalName", target: "userName", matching: { precedence: 1 } }],
          scopingFilters: [{ clauses: [{ attribute: "mail", operator: "REGEX_MATCH", value: "(a+)+$" }] }],
        },
        groups: { mappings: [] },
      };
    });
    const regex = await service.previewScope(badRegex, 5);
    expect(regex.status === "invalid" && regex.problems.find((p) => p.path.includes("scopingFilters"))).toMatchObject({
      path: "rules.users.scopingFilters.0.clauses.0.value",
      severity: "error",
    });
  });
});

describe("assignments, directory pickers and attribute lists", () => {
  it("lists the app's assigned users and groups with their names", async () => {
    const { service } = await openService();
    const assigned = await service.assignments();
    expect(assigned.users.map((u) => u.displayName)).toEqual(expect.arrayContaining(["dora direct", "dan disabled"]));
    expect(assigned.groups).toContainEqual({ id: groups.outer, displayName: "Outer Team" });
    // Graph hides the assignments of users in the recycle bin.
    const visible = world.graph.admin
      .listAssignments()
      .filter((a) => !world.graph.admin.getUser(a.principalId)?.softDeleted);
    expect(assigned.users.length + assigned.groups.length).toBe(visible.length);
  });

  it("searches groups by name a page at a time, with member counts; describes picked groups; finds users", async () => {
    const admin = world.graph.admin;
    const users = admin.listUsers();
    for (let i = 1; i <= 23; i++)
      admin.createGroup({
        displayName: `Project ${String(i).padStart(2, "0")}`,
        members: users.slice(0, i % 5).map((u) => u.id),
      });
    const { service } = await openService();
    const first = await service.searchGroups({ query: "proj" });
    expect(first.groups).toHaveLength(20);
    expect(first.groups[0]).toMatchObject({ displayName: "Project 01", memberCount: 1 });
    expect(first.groups[4]).toMatchObject({ displayName: "Project 05", memberCount: 0 });
    expect(first.nextCursor).not.toBeNull();
    const second = await service.searchGroups({ query: "proj", cursor: first.nextCursor! });
    expect(second.groups.map((g) => g.displayName)).toEqual(["Project 21", "Project 22", "Project 23"]);
    expect(second.nextCursor).toBeNull();
    await expect(service.searchGroups({ query: "other", cursor: first.nextCursor! })).rejects.toMatchObject({
      kind: "notFound",
    });
    const outer = await service.searchGroups({ query: "Outer" });
    expect(outer.groups).toEqual([{ id: groups.outer, displayName: "Outer Team", memberCount: 2 }]);

    expect(await service.pickedGroups([groups.inner, "Outer Team", "No Such Team"])).toEqual([
      { ref: groups.inner, id: groups.inner, displayName: "Inner Team", memberCount: 1 },
      { ref: "Outer Team", id: groups.outer, displayName: "Outer Team", memberCount: 2 },
      { ref: "No Such Team", id: null, displayName: null, memberCount: null },
    ]);

    expect(await service.searchUsers("dora")).toEqual([
      { id: people.direct.id, userPrincipalName: "dora.direct@contoso.com", displayName: "dora direct" },
    ]);
    expect((await service.searchUsers("mia.member@")).map((u) => u.id)).toEqual([people.member.id]);
  });

  it("lists source attributes with the tenant's directory extensions, or says which permission lists them", async () => {
    const { service } = await openService();
    const found = await service.sourceAttributes();
    expect(found.extensions.discovered).toBe(true);
    expect(found.users).toContainEqual({
      name: EXTENSION,
      type: "String",
      multiValued: false,
      computed: null,
      extension: true,
    });
    expect(found.users.find((a) => a.name === "IsSoftDeleted")?.computed).toContain("soft-deleted");
    expect(found.groups.map((a) => a.name)).toContain("displayName");

    const limited = await service.sourceAttributes(
      draftOf(profileInput(), (d) => (d.source.clientId = LIMITED_CLIENT)),
    );
    expect(limited.extensions).toMatchObject({ discovered: false });
    expect(limited.extensions.message).toContain("Directory.Read.All");
    expect(limited.users.some((a) => a.extension)).toBe(false);
  });

  it("lists the preset's target attributes", async () => {
    const { service } = await openService();
    const attrs = await service.targetAttributes();
    expect(attrs.source).toBe("preset");
    expect(attrs.users.attributes).toContain("urn:ietf:params:scim:schemas:extension:Splashtop:2.0:User:ssoName");
    expect(attrs.users.matchable).toEqual(["userName"]);
  });

  it("discovers a generic SCIM target's attributes from its /Schemas", async () => {
    const badge = "urn:example:params:scim:schemas:extension:acme:2.0:User";
    const target = await startServer((req, res) => {
      if (req.url.endsWith("/Schemas"))
        return json(res, 200, {
          Resources: [
            {
              id: "urn:ietf:params:scim:schemas:core:2.0:User",
              attributes: [
                { name: "userName", type: "string", required: true, uniqueness: "server" },
                { name: "title", type: "string" },
              ],
            },
            { id: badge, attributes: [{ name: "badge", type: "string" }] },
            {
              id: "urn:ietf:params:scim:schemas:core:2.0:Group",
              attributes: [{ name: "displayName", type: "string" }],
            },
          ],
        });
      json(res, 404, {});
    });
    try {
      const { service } = await openService();
      const generic = draftOf(profileInput(), (d) => {
        d.target = { preset: "generic", tenantUrl: `${target.url}/scim` };
      });
      const attrs = await service.targetAttributes(generic);
      expect(attrs).toMatchObject({ source: "discovered", message: null });
      expect(attrs.users.attributes).toEqual(["userName", "title", `${badge}:badge`, "externalId"]);
      expect(attrs.users.required).toEqual(["userName"]);
      expect(attrs.groups.attributes).toContain("displayName");
      expect(target.requests.every((r) => r.headers.authorization === `Bearer ${world.scim.token}`)).toBe(true);
    } finally {
      await target.close();
    }
  });
});

describe("expression.evaluate and expression.functions", () => {
  it("shows parse errors at their position, and the value for a picked user on the draft", async () => {
    const { service } = await openService();
    const unclosed = 'Join(" ", [givenName], [surname]';
    expect(await service.evaluateExpression({ expression: unclosed, userId: people.member.id })).toEqual({
      status: "error",
      code: "parse",
      message: expect.stringContaining("Join("),
      offset: unclosed.length,
      line: 1,
      column: unclosed.length + 1,
      expected: '"," or ")"',
    });
    expect(
      await service.evaluateExpression({ expression: 'Jion(" ", [givenName])', userId: people.member.id }),
    ).toMatchObject({ status: "error", code: "unknownFunction", offset: 0, message: expect.stringContaining("Join") });
    expect(
      await service.evaluateExpression({ expression: 'Join(" ", [givenName], [surname])', userId: people.member.id }),
    ).toEqual({ status: "value", value: "mia member", redacted: false, ignoreFlow: false });
    // The editor asks on every pause in typing: the user read is reused, Graph is not asked again.
    const before = world.graph.requests.length;
    expect(
      await service.evaluateExpression({ expression: 'Join("-", [surname], [givenName])', userId: people.member.id }),
    ).toMatchObject({ value: "member-mia" });
    expect(world.graph.requests.length).toBe(before);
    // IsSoftDeleted comes from the engine's scope decision: the stranger is not assigned.
    const active = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';
    expect(await service.evaluateExpression({ expression: active, userId: people.stranger.id })).toMatchObject({
      value: "False",
    });
    expect(await service.evaluateExpression({ expression: active, userId: people.direct.id })).toMatchObject({
      value: "True",
    });
    const everyone = draftOf(profileInput(), (d) => (d.source.scope = "all"));
    expect(
      await service.evaluateExpression({ expression: active, userId: people.stranger.id, draft: everyone }),
    ).toMatchObject({ value: "True" });
    await expect(
      service.evaluateExpression({ expression: "[mail]", userId: "nobody@contoso.com" }),
    ).rejects.toMatchObject({ kind: "notFound" });
  });

  it("lists every function of the engine's table with its signature and help", async () => {
    const { service } = await openService({ import: false });
    const listed = service.expressionFunctions();
    expect(listed.map((f) => f.name)).toEqual([...FUNCTIONS.keys()]);
    expect(listed.every((f) => f.help.length > 10)).toBe(true);
    expect(listed.find((f) => f.name === "Join")).toMatchObject({ minArgs: 2, maxArgs: null });
  });
});

describe("connections.testDraft", () => {
  it("tests a new token and secret before they are stored, and stores nothing", async () => {
    const { service, secrets } = await openService({ import: false });
    const draft = draftOf(profileInput("fresh"));
    const refused = await service.testDraftConnection({ draft, side: "target", scimToken: "not-the-token" });
    expect(refused[0]).toMatchObject({ ok: false });
    expect(refused[0]!.message).toMatch(/401/);
    const fine = await service.testDraftConnection({
      draft,
      side: "both",
      clientSecret: DEFAULT_CLIENT_SECRET,
      scimToken: world.scim.token,
    });
    expect(fine.filter((c) => !c.ok)).toEqual([]);
    expect(await secrets.has("fresh", "client-secret")).toBe(false);
    expect(await secrets.has("fresh", "scim-token")).toBe(false);
    expect(JSON.stringify(fine)).not.toContain(world.scim.token);
  });

  it("names a missing Graph permission with how to grant it, and settings problems by path", async () => {
    const { service } = await openService({ import: false });
    const limited = draftOf(profileInput("fresh"), (d) => (d.source.clientId = LIMITED_CLIENT));
    const checks = await service.testDraftConnection({
      draft: limited,
      side: "source",
      clientSecret: DEFAULT_CLIENT_SECRET,
    });
    const groupsCheck = checks.find((c) => c.name === "Read groups (Group.Read.All)");
    expect(groupsCheck).toMatchObject({ ok: false });
    expect(groupsCheck!.message).toContain("Grant admin consent");
    expect(checks.find((c) => c.name === "Read users (User.Read.All)")).toMatchObject({ ok: true });

    const broken = draftOf(profileInput("fresh"), (d) => (d.target.tenantUrl = "not a url"));
    expect(await service.testDraftConnection({ draft: broken, side: "both" })).toEqual([
      expect.objectContaining({ name: "Setting target.tenantUrl", ok: false }),
    ]);
  });
});
