import { describe, expect, it } from "vitest";
import { decideScope, explainUserScope, type ScopeInput } from "../../../electron/engine/cycle/scope";
import type { SourceObject } from "../../../electron/engine/db/types";
import { defaultRules } from "../../../electron/engine/rules";
import { ProfileSchema, type ProfileInput } from "../../../shared/config/profile";

// The one scope decision, on a hand-made mirror: each step it reports, and that the cycle's decision is the same one.
const user = (id: string, attributes: Record<string, unknown> = {}, removed: SourceObject["removed"] = null) =>
  ({ type: "user", id, attributes: { displayName: id, accountEnabled: true, ...attributes }, removed }) as SourceObject;
const group = (id: string, members: string[]): SourceObject => ({
  type: "group",
  id,
  attributes: { displayName: `Group ${id}` },
  members: members.map((m) => ({ id: m, type: m.startsWith("g") ? "group" : "user" })),
  removed: null,
});

const input: ScopeInput = {
  users: new Map(
    [
      user("u-direct"),
      user("u-member"),
      user("u-nested"),
      user("u-none"),
      user("u-off", { accountEnabled: false }),
      user("u-gone", {}, "deleted"),
    ].map((u) => [u.id, u]),
  ),
  groups: new Map([group("g-outer", ["u-member", "g-inner"]), group("g-inner", ["u-nested"])].map((g) => [g.id, g])),
  assignments: {
    servicePrincipalId: "sp",
    userIds: new Set(["u-direct", "u-off", "u-gone"]),
    groupIds: new Set(["g-outer"]),
    names: new Map(),
  },
};

const profileWith = (source: Partial<ProfileInput["source"]> = {}, target: Partial<ProfileInput["target"]> = {}) =>
  ProfileSchema.parse({
    name: "p",
    source: { tenantId: "t", clientId: "c", appId: "a", ...source },
    target: { tenantUrl: "https://scim.example/scim", ssoMethodName: "SSO", ...target },
  });
const rules = defaultRules("splashtop", "SSO");
const explain = (id: string, source?: Partial<ProfileInput["source"]>) =>
  explainUserScope(profileWith(source), rules, input, id);

describe("the scope decision and its explanation", () => {
  it("decides in the engine's order: deleted, assignment, filters, account state", () => {
    expect(explain("u-gone")).toEqual({
      decision: { inScope: false, softDeleted: true, purged: true, reason: "permanently deleted in Entra" },
      steps: [{ step: "deleted", outcome: "fail", message: "The user is permanently deleted in Entra." }],
    });
    expect(explain("u-off").decision).toEqual({
      inScope: true,
      softDeleted: true,
      purged: false,
      reason: "account disabled in Entra",
    });
    expect(explain("u-off").steps.map((s) => `${s.step}:${s.outcome}`)).toEqual([
      "assignment:pass",
      "scopingFilter:pass",
      "accountState:info",
    ]);
    expect(explain("u-none").steps).toEqual([
      {
        step: "assignment",
        outcome: "fail",
        message: "Not assigned to the app, neither directly nor through an assigned group.",
      },
    ]);
  });

  it("names the group chain, and users only nesting would bring in", () => {
    expect(explain("u-nested").steps[0]).toMatchObject({
      outcome: "fail",
      via: [{ id: "g-outer" }, { id: "g-inner" }],
    });
    expect(explain("u-nested", { includeNestedGroups: true }).steps[0]).toEqual({
      step: "groupMembership",
      outcome: "pass",
      message: 'Member of "Group g-inner", nested in "Group g-outer", which is assigned to the app.',
      via: [
        { id: "g-outer", displayName: "Group g-outer" },
        { id: "g-inner", displayName: "Group g-inner" },
      ],
    });
    expect(explain("u-member", { scope: { groups: ["group G-OUTER"] } }).steps[0]!.message).toBe(
      'Member of "Group g-outer", a group picked for provisioning.',
    );
    expect(explain("u-none", { scope: "all" }).steps[0]).toMatchObject({ outcome: "pass" });
  });

  it("is the decision a cycle makes for every object", () => {
    for (const source of [{}, { includeNestedGroups: true }, { scope: "all" as const }]) {
      const profile = profileWith(source);
      const cycle = decideScope(profile, rules, input);
      for (const id of input.users.keys())
        expect(cycle.users.get(id)).toEqual(explainUserScope(profile, rules, input, id).decision);
    }
    const noGroups = decideScope(profileWith({}, { provisionGroups: false }), rules, input);
    expect(noGroups.groups.get("g-outer")).toMatchObject({ inScope: false, reason: "group provisioning is off" });
  });
});
