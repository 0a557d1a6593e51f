import { describe, expect, it } from "vitest";
import type { AttributeMappingInput, ObjectRules, Rules } from "../../shared/config/mappings";
import { AttributeMappingSchema, RulesSchema } from "../../shared/config/mappings";
import { evaluateMappings, matchingAttributes } from "../../electron/engine/rules/mappings";
import { graphSelectFor } from "../../electron/engine/rules/source-attributes";
import { defaultRules, SSO_NAME_TARGET } from "../../electron/engine/rules/splashtop-defaults";
import { testMappings } from "../../electron/engine/rules/test-rules";
import { validateRules } from "../../electron/engine/rules/validate-rules";

const objectRules = (
  mappings: AttributeMappingInput[],
  scopingFilters: ObjectRules["scopingFilters"] = [],
): ObjectRules => ({
  mappings: mappings.map((m) => AttributeMappingSchema.parse(m)),
  scopingFilters,
});

const ann = {
  objectId: "6f1c3c1e-7a4b-4a8e-9d0e-2b8f7a1c0d11",
  userPrincipalName: "ann.lee@contoso.com",
  displayName: "Ann Lee",
  givenName: "Ann",
  surname: "Lee",
  mailNickname: "ann.lee",
  mail: "ann.lee@contoso.com",
  IsSoftDeleted: false,
};

describe("evaluateMappings", () => {
  it("applies Direct, Constant and Expression mappings", () => {
    const rules = objectRules([
      { type: "Direct", source: "userPrincipalName", target: "userName" },
      { type: "Constant", value: "Contoso", target: "organization" },
      { type: "Expression", expression: 'Join(" ", [surname], [givenName])', target: "name.formatted" },
    ]);
    expect(evaluateMappings(rules, ann, { isCreate: true })).toEqual({
      values: { userName: "ann.lee@contoso.com", organization: "Contoso", "name.formatted": "Lee Ann" },
      nulls: [],
      skipped: [],
      redacted: [],
      errors: [],
    });
  });

  it("sends OnCreate mappings only when creating", () => {
    const rules = objectRules([
      { type: "Expression", expression: "Guid()", target: "password", apply: "OnCreate" },
      { type: "Direct", source: "displayName", target: "displayName" },
    ]);
    expect(Object.keys(evaluateMappings(rules, ann, { isCreate: true }).values)).toEqual(["password", "displayName"]);
    const update = evaluateMappings(rules, ann, { isCreate: false });
    expect(update.values).toEqual({ displayName: "Ann Lee" });
    expect(update.skipped).toEqual(["password"]);
  });

  it("uses the default value for a null only on create, and never sends null", () => {
    const rules = objectRules([
      { type: "Direct", source: "department", target: "department", defaultValue: "Unassigned" },
    ]);
    expect(evaluateMappings(rules, ann, { isCreate: true }).values).toEqual({ department: "Unassigned" });
    const update = evaluateMappings(rules, ann, { isCreate: false });
    expect(update.values).toEqual({});
    expect(update.nulls).toEqual(["department"]);
    expect(evaluateMappings(rules, { ...ann, department: "Sales" }, { isCreate: true }).values).toEqual({
      department: "Sales",
    });
  });

  it("leaves None mappings alone except for their default value on create", () => {
    const rules = objectRules([
      { type: "None", target: "title", defaultValue: "Staff" },
      { type: "None", target: "nickName" },
    ]);
    expect(evaluateMappings(rules, ann, { isCreate: true })).toMatchObject({
      values: { title: "Staff" },
      skipped: ["nickName"],
    });
    expect(evaluateMappings(rules, ann, { isCreate: false })).toMatchObject({
      values: {},
      skipped: ["title", "nickName"],
    });
  });

  it("drops IgnoreFlowIfNullOrEmpty attributes, reports errors per attribute and marks Redact", () => {
    const rules = objectRules([
      { type: "Expression", expression: "IgnoreFlowIfNullOrEmpty([department])", target: "department" },
      { type: "Expression", expression: "Mid([givenName], 0, 1)", target: "nickName" },
      { type: "Expression", expression: "Redact([mail])", target: 'emails[type eq "work"].value' },
      { type: "Expression", expression: "Append([mail]", target: "broken" },
    ]);
    const r = evaluateMappings(rules, ann, { isCreate: true });
    expect(r.skipped).toEqual(["department"]);
    expect(r.values).toEqual({ 'emails[type eq "work"].value': "ann.lee@contoso.com" });
    expect(r.redacted).toEqual(['emails[type eq "work"].value']);
    expect(r.errors).toEqual([
      expect.objectContaining({ target: "nickName", mappingIndex: 1, code: "InvalidArgument", position: 17 }),
      expect.objectContaining({ target: "broken", mappingIndex: 3, code: "ParseError", position: 13 }),
    ]);
  });

  it("orders matching attributes by precedence", () => {
    const rules = objectRules([
      { type: "Direct", source: "mail", target: 'emails[type eq "work"].value', matching: { precedence: 2 } },
      { type: "Direct", source: "displayName", target: "displayName" },
      { type: "Direct", source: "userPrincipalName", target: "userName", matching: { precedence: 1 } },
    ]);
    expect(matchingAttributes(rules).map((m) => [m.target, m.precedence])).toEqual([
      ["userName", 1],
      ['emails[type eq "work"].value', 2],
    ]);
  });
});

describe("Splashtop defaults", () => {
  it("produce the SCIM attributes Splashtop expects for an active user", () => {
    const rules = defaultRules("splashtop", "Contoso Entra SSO");
    expect(RulesSchema.parse(rules)).toEqual(rules);
    expect(evaluateMappings(rules.users, ann, { isCreate: true }).values).toEqual({
      userName: "ann.lee@contoso.com",
      active: "True",
      displayName: "Ann Lee",
      "name.givenName": "Ann",
      "name.familyName": "Lee",
      externalId: "ann.lee",
      [SSO_NAME_TARGET]: "Contoso Entra SSO",
    });
    expect(matchingAttributes(rules.users).map((m) => m.target)).toEqual(["userName"]);
    expect(validateRules(rules, { preset: "splashtop" })).toEqual([]);
  });

  it("turn a soft-deleted or disabled user into active False", () => {
    const rules = defaultRules("splashtop", "SSO");
    expect(evaluateMappings(rules.users, { ...ann, IsSoftDeleted: true }, { isCreate: false }).values.active).toBe(
      "False",
    );
    expect(evaluateMappings(rules.users, { ...ann, IsSoftDeleted: "True" }, { isCreate: false }).values.active).toBe(
      "False",
    );
  });

  it("map groups by displayName with their members", () => {
    const rules = defaultRules("splashtop");
    const group = { objectId: "g1", displayName: "Support", members: ["u1", "u2"] };
    expect(evaluateMappings(rules.groups, group, { isCreate: true }).values).toEqual({
      displayName: "Support",
      externalId: "g1",
      members: ["u1", "u2"],
    });
    expect(matchingAttributes(rules.groups).map((m) => m.target)).toEqual(["displayName"]);
  });

  it("block provisioning while ssoName is still Entra's placeholder", () => {
    const problems = validateRules(defaultRules("splashtop"), { preset: "splashtop" });
    expect(problems).toEqual([
      expect.objectContaining({ path: "rules.users.mappings[6].value", severity: "error", code: "ssoNamePlaceholder" }),
    ]);
    expect(problems[0]!.message).toMatch(/exact name of your Splashtop SSO method \(spaces included\).*Settings/);
    expect(validateRules(defaultRules("splashtop", "  "), { preset: "splashtop" })[0]).toMatchObject({
      code: "ssoNamePlaceholder",
    });
    expect(validateRules(defaultRules("splashtop", "Contoso SSO "), { preset: "splashtop" })).toEqual([
      expect.objectContaining({ severity: "warning", code: "ssoNameWhitespace" }),
    ]);
  });

  it("generic SCIM defaults send the work email and no ssoName", () => {
    const rules = defaultRules("generic");
    const values = evaluateMappings(rules.users, ann, { isCreate: true }).values;
    expect(values['emails[type eq "work"].value']).toBe("ann.lee@contoso.com");
    expect(values[SSO_NAME_TARGET]).toBeUndefined();
    expect(validateRules(rules, { preset: "generic" })).toEqual([]);
  });
});

describe("validateRules", () => {
  const base = (): Rules => defaultRules("splashtop", "SSO");

  it("rejects a matching attribute the target cannot filter on, and duplicate precedences", () => {
    const rules = base();
    rules.users.mappings[2] = { ...rules.users.mappings[2]!, matching: { precedence: 1 } };
    const problems = validateRules(rules, { preset: "splashtop" });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "rules.users.mappings[2].matching", code: "notFilterable", severity: "error" }),
        expect.objectContaining({ path: "rules.users.mappings[2].matching.precedence", code: "duplicatePrecedence" }),
      ]),
    );
    expect(problems.find((p) => p.code === "notFilterable")!.message).toMatch(/only look users up by userName/);
  });

  it("requires a matching attribute and the target's required attributes", () => {
    const rules = base();
    rules.users.mappings = rules.users.mappings.filter((m) => m.target !== "userName");
    const codes = validateRules(rules, { preset: "splashtop" }).map((p) => p.code);
    expect(codes).toEqual(["noMatchingAttribute", "requiredNotMapped"]);
  });

  it("uses the caller's target description when given", () => {
    const rules = base();
    const problems = validateRules(rules, {
      preset: "splashtop",
      target: { users: { filterableAttributes: ["externalId"], requiredAttributes: ["userName", "title"] } },
      pathPrefix: "profile.rules",
    });
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ["profile.rules.users.mappings[0].matching", "notFilterable"],
      ["profile.rules.users.mappings", "requiredNotMapped"],
    ]);
  });

  it("reports expression errors with their position and unknown source attributes", () => {
    const rules = base();
    rules.users.mappings.push(
      AttributeMappingSchema.parse({ type: "Expression", expression: 'Append([mail] ".x")', target: "nickName" }),
      AttributeMappingSchema.parse({ type: "Direct", source: "departmnet", target: "title" }),
    );
    const problems = validateRules(rules, { preset: "generic" });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "rules.users.mappings[7].expression", code: "parse", position: 14 }),
        expect.objectContaining({ path: "rules.users.mappings[8].source", code: "unknownAttribute" }),
      ]),
    );
    expect(problems.find((p) => p.code === "unknownAttribute")!.message).toMatch(/did you mean department/);
  });

  it("checks scoping filters: regexes, integers, values, filterable attributes", () => {
    const rules = base();
    rules.users.scopingFilters = [
      {
        clauses: [
          { attribute: "userPrincipalName", operator: "REGEX_MATCH", value: "(a+)+$" },
          { attribute: "employeeId", operator: "GREATER_THAN", value: "ten" },
          { attribute: "department", operator: "EQUALS" },
          { attribute: "proxyAddresses", operator: "INCLUDES", value: "smtp" },
          { attribute: "manger", operator: "IS_NOT_NULL" },
        ],
      },
    ];
    expect(validateRules(rules, { preset: "splashtop" }).map((p) => [p.path, p.code])).toEqual([
      ["rules.users.scopingFilters[0].clauses[0].value", "invalidRegex"],
      ["rules.users.scopingFilters[0].clauses[1].value", "notInteger"],
      ["rules.users.scopingFilters[0].clauses[2].value", "missingValue"],
      ["rules.users.scopingFilters[0].clauses[3].attribute", "notScopable"],
      ["rules.users.scopingFilters[0].clauses[4].attribute", "unknownAttribute"],
    ]);
  });

  it("warns about target attributes Splashtop does not support", () => {
    const rules = base();
    rules.users.mappings.push(AttributeMappingSchema.parse({ type: "Direct", source: "jobTitle", target: "title" }));
    expect(validateRules(rules, { preset: "splashtop" })).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "unsupportedTarget",
        path: "rules.users.mappings[7].target",
      }),
    ]);
  });
});

describe("testMappings", () => {
  it("shows every attribute for one user, Redact()ed values hidden", () => {
    const rules = defaultRules("splashtop", "SSO").users;
    rules.mappings.push(
      AttributeMappingSchema.parse({ type: "Expression", expression: "Redact([mail])", target: "nickName" }),
    );
    const r = testMappings(rules, ann);
    expect(r.failed).toBe(false);
    expect(r.attributes[0]).toEqual({
      target: "userName",
      type: "Direct",
      apply: "Always",
      matchingPrecedence: 1,
      status: "value",
      value: "ann.lee@contoso.com",
      usedDefault: false,
    });
    expect(r.attributes.find((a) => a.target === "nickName")!.value).toBe("[Redact]");
  });

  it("shows errors and skipped attributes", () => {
    const rules = objectRules([
      { type: "Expression", expression: "Left([givenName])", target: "a" },
      { type: "Direct", source: "givenName", target: "b", apply: "OnCreate" },
    ]);
    const r = testMappings(rules, ann, { isCreate: false });
    expect(r.attributes.map((a) => [a.target, a.status])).toEqual([
      ["a", "error"],
      ["b", "skipped"],
    ]);
    expect(r.attributes[0]!.error!.message).toMatch(/Left takes 2 arguments/);
    expect(r.failed).toBe(true);
  });
});

describe("graphSelectFor", () => {
  it("selects the Graph properties behind the mapped and filtered attributes", () => {
    const rules = defaultRules("splashtop", "SSO");
    rules.users.scopingFilters = [{ clauses: [{ attribute: "department", operator: "EQUALS", value: "Sales" }] }];
    rules.users.mappings.push(
      AttributeMappingSchema.parse({
        type: "Expression",
        expression:
          'Join(" ", [physicalDeliveryOfficeName], [extensionAttribute3], [telephoneNumber], SingleAppRoleAssignment([appRoleAssignments]))',
        target: "title",
      }),
    );
    expect(graphSelectFor("users", rules).sort()).toEqual(
      [
        "id",
        "userPrincipalName",
        "accountEnabled",
        "displayName",
        "givenName",
        "surname",
        "mailNickname",
        "department",
        "officeLocation",
        "onPremisesExtensionAttributes",
        "businessPhones",
      ].sort(),
    );
    expect(graphSelectFor("groups", rules).sort()).toEqual(["displayName", "id", "members"]);
  });
});
