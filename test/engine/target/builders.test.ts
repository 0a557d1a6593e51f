import { describe, expect, it } from "vitest";
import {
  CORE_GROUP,
  CORE_USER,
  ENTERPRISE_USER,
  SPLASHTOP_USER,
  eqFilter,
  membershipOperations,
  parseTargetPath,
  readTargetPath,
  renameGroupOperation,
  toPatchOperations,
  toScimResource,
} from "../../../electron/engine/target";

const SSO = `${SPLASHTOP_USER}:ssoName`;
const WORK_EMAIL = 'emails[type eq "work"].value';

describe("toScimResource", () => {
  it("builds the user body Entra sends: nested name, typed primary email, extension keyed by URN, no nulls", () => {
    const body = toScimResource("user", {
      userName: "ann@contoso.com",
      active: "True",
      displayName: "Ann Lee",
      "name.givenName": "Ann",
      "name.familyName": "Lee",
      externalId: "ann",
      [WORK_EMAIL]: "ann@contoso.com",
      [SSO]: "Contoso SSO",
      nickName: null,
      title: undefined,
    });
    expect(body).toEqual({
      schemas: [CORE_USER, SPLASHTOP_USER],
      userName: "ann@contoso.com",
      active: true,
      displayName: "Ann Lee",
      name: { givenName: "Ann", familyName: "Lee" },
      externalId: "ann",
      emails: [{ type: "work", value: "ann@contoso.com", primary: true }],
      [SPLASHTOP_USER]: { ssoName: "Contoso SSO" },
    });
  });

  it("lists only the schemas actually used and keeps several typed items apart", () => {
    const body = toScimResource("user", {
      userName: "b",
      'phoneNumbers[type eq "work"].value': "1",
      'phoneNumbers[type eq "mobile"].value': "2",
      [`${ENTERPRISE_USER}:department`]: "Sales",
      [SSO]: null,
    });
    expect(body.schemas).toEqual([CORE_USER, ENTERPRISE_USER]);
    expect(body.phoneNumbers).toEqual([
      { type: "work", value: "1", primary: true },
      { type: "mobile", value: "2" },
    ]);
    expect(body[SPLASHTOP_USER]).toBeUndefined();
  });

  it("creates groups without members", () => {
    expect(toScimResource("group", { displayName: "Sales", externalId: "g1", members: [{ value: "u1" }] })).toEqual({
      schemas: [CORE_GROUP],
      displayName: "Sales",
      externalId: "g1",
    });
  });
});

describe("toPatchOperations", () => {
  const changes = [
    { path: "name.familyName", value: "Smith" },
    { path: WORK_EMAIL, value: "a@b.c" },
    { path: SSO, value: "Okta SSO" },
    { path: "active", value: "False" },
    { path: "displayName", value: null },
  ];

  it('entra: one Replace per attribute, active as the string "False", Remove to clear', () => {
    expect(toPatchOperations(changes, "entra")).toEqual([
      { op: "Replace", path: "name.familyName", value: "Smith" },
      { op: "Replace", path: WORK_EMAIL, value: "a@b.c" },
      { op: "Replace", path: SSO, value: "Okta SSO" },
      { op: "Replace", path: "active", value: "False" },
      { op: "Remove", path: "displayName" },
    ]);
    expect(toPatchOperations([{ path: "active", value: true }], "entra")).toEqual([
      { op: "Replace", path: "active", value: "True" },
    ]);
  });

  it("rfc7644: lowercase ops, booleans, several replaces merged into one pathless op, filter paths kept", () => {
    expect(toPatchOperations(changes, "rfc7644")).toEqual([
      {
        op: "replace",
        value: { name: { familyName: "Smith" }, [SPLASHTOP_USER]: { ssoName: "Okta SSO" }, active: false },
      },
      { op: "replace", path: WORK_EMAIL, value: "a@b.c" },
      { op: "remove", path: "displayName" },
    ]);
    expect(toPatchOperations([{ path: "active", value: "False" }], "rfc7644")).toEqual([
      { op: "replace", path: "active", value: false },
    ]);
  });
});

describe("membershipOperations", () => {
  it("entra: batches of at most batchSize member changes, adds and removes as member lists", () => {
    expect(membershipOperations(["a", "b", "c", "d", "e"], ["x", "y"], "entra", 3)).toEqual([
      [{ op: "Add", path: "members", value: [{ value: "a" }, { value: "b" }, { value: "c" }] }],
      [
        { op: "Add", path: "members", value: [{ value: "d" }, { value: "e" }] },
        { op: "Remove", path: "members", value: [{ value: "x" }] },
      ],
      [{ op: "Remove", path: "members", value: [{ value: "y" }] }],
    ]);
  });

  it("rfc7644: removes each member by value filter, counted toward the batch", () => {
    expect(membershipOperations(["a"], ["x", 'we"ird'], "rfc7644", 2)).toEqual([
      [
        { op: "add", path: "members", value: [{ value: "a" }] },
        { op: "remove", path: 'members[value eq "x"]' },
      ],
      [{ op: "remove", path: 'members[value eq "we\\"ird"]' }],
    ]);
    expect(membershipOperations([], [], "rfc7644", 10)).toEqual([]);
  });

  it("renames groups in each dialect", () => {
    expect(renameGroupOperation("New", "entra")).toEqual({ op: "Replace", path: "displayName", value: "New" });
    expect(renameGroupOperation("New", "rfc7644")).toEqual({ op: "replace", path: "displayName", value: "New" });
  });
});

describe("paths and filters", () => {
  it('quotes filter values, escaping " and \\ and leaving apostrophes', () => {
    expect(eqFilter("userName", `O'Brien "Bob" C:\\temp`)).toBe(`userName eq "O'Brien \\"Bob\\" C:\\\\temp"`);
  });

  it("parses extension, filter and nested paths", () => {
    expect(parseTargetPath(SSO)).toEqual({ schema: SPLASHTOP_USER, attr: "ssoName" });
    expect(parseTargetPath(`${CORE_USER}:userName`)).toEqual({ attr: "userName" });
    expect(parseTargetPath('addresses[type eq "a:b"].locality')).toEqual({
      attr: "addresses",
      filter: { attr: "type", value: "a:b" },
      sub: "locality",
    });
    expect(() => parseTargetPath("emails[type ne 1]")).toThrow(/not a SCIM attribute path/);
  });

  it("reads target paths from a resource the target returned, case-insensitively", () => {
    const resource = {
      id: "1",
      UserName: "ann",
      name: { givenName: "Ann" },
      emails: [
        { type: "home", value: "h@x" },
        { type: "Work", value: "w@x" },
      ],
      [SPLASHTOP_USER]: { ssoName: "SSO" },
      active: false,
    };
    expect(readTargetPath(resource, "userName")).toBe("ann");
    expect(readTargetPath(resource, "name.givenName")).toBe("Ann");
    expect(readTargetPath(resource, "name.familyName")).toBeUndefined();
    expect(readTargetPath(resource, WORK_EMAIL)).toBe("w@x");
    expect(readTargetPath(resource, 'emails[type eq "other"].value')).toBeUndefined();
    expect(readTargetPath(resource, SSO)).toBe("SSO");
    expect(readTargetPath(resource, "active")).toBe(false);
  });
});
