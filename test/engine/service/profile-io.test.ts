import { describe, expect, it } from "vitest";
import {
  checkProfile,
  parseProfileJson,
  profileJsonSchema,
  profileToJson,
  ProfileValidationError,
} from "../../../electron/engine/service";

const base = {
  source: { tenantId: "t", clientId: "c", appId: "a" },
  target: { tenantUrl: "https://my.splashtop.com/scim/v1", ssoMethodName: "SSO" },
};

function problemsOf(value: unknown): { path: string; message: string }[] {
  try {
    parseProfileJson(typeof value === "string" ? value : JSON.stringify(value));
  } catch (error) {
    if (error instanceof ProfileValidationError) return error.problems;
    throw error;
  }
  throw new Error("expected the profile to be refused");
}

describe("profile files", () => {
  it("names array elements and odd keys in JSON paths", () => {
    const problems = problemsOf({
      ...base,
      rules: {
        users: {
          mappings: [
            { type: "Direct", source: "mail", target: "userName" },
            { type: "Sometimes", target: "x" },
          ],
        },
        groups: { mappings: [] },
      },
    });
    expect(problems).toContainEqual(expect.objectContaining({ path: "rules.users.mappings.1.type" }));
    expect(problemsOf({ ...base, "odd key": 1, safety: { deletionThreshold: -1 } }).map((p) => p.path)).toEqual([
      "safety.deletionThreshold",
      "odd key",
    ]);
  });

  it("refuses text that is not JSON, and secrets anywhere in the file", () => {
    expect(problemsOf("{ not json")[0]).toMatchObject({ path: "", message: expect.stringContaining("not JSON") });
    const withSecrets = problemsOf({ ...base, target: { ...base.target, token: "t0k" }, extra: [{ password: "p" }] });
    expect(withSecrets.map((p) => p.path)).toEqual(["target.token", "extra.0.password"]);
  });

  it("round-trips through export unchanged and matches its published JSON Schema's required fields", () => {
    const profile = parseProfileJson(JSON.stringify(base));
    expect(parseProfileJson(profileToJson(profile))).toEqual(profile);
    const schema = profileJsonSchema() as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required.sort()).toEqual(["source", "target"]);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["deprovision", "safety", "schedule", "rules"]),
    );
  });

  it("refuses secret-like keys under any spelling, but not the certificate's key file path", () => {
    const cert = { type: "certificate", certificateFile: "/c.pem", privateKeyFile: "/k.pem" };
    expect(checkProfile({ ...base, source: { ...base.source, credential: cert } }).problems).toEqual([]);
    const paths = checkProfile({
      ...base,
      source: { ...base.source, apiKey: "k", private_key: "p" },
      target: { ...base.target, scimBearerToken: "t", adminPassword: "p" },
    }).problems.map((p) => p.path);
    expect(paths.sort()).toEqual([
      "source.apiKey",
      "source.private_key",
      "target.adminPassword",
      "target.scimBearerToken",
    ]);
  });

  it("checks a profile that arrives as an object (the window) for depth, size and broken Unicode without recursion", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(checkProfile({ ...base, extra: deep }).problems[0]?.message).toContain("nested more than");
    expect(checkProfile({ ...base, target: { ...base.target, ssoMethodName: "SSO \uD800" } }).problems).toEqual([
      expect.objectContaining({ path: "target.ssoMethodName", message: expect.stringContaining("not valid Unicode") }),
    ]);
    expect(checkProfile({ ...base, pad: "x".repeat(1_100_000) }).problems[0]?.message).toContain("at most");
  });

  it("reports rule problems with dotted paths and the offset inside the expression", () => {
    const rules = {
      users: {
        mappings: [
          { type: "Direct", source: "userPrincipalName", target: "userName", matching: { precedence: 1 } },
          { type: "Expression", expression: 'Join(" ", [givenName], ', target: "displayName" },
        ],
      },
      groups: { mappings: [] },
    };
    const { profile, problems } = checkProfile({ ...base, target: { ...base.target, preset: "generic" }, rules });
    expect(profile).not.toBeNull();
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: "rules.users.mappings.1.expression",
        severity: "error",
        offset: expect.any(Number),
      }),
    );
  });

  it("suggests the closest known key for a misspelt one, also inside arrays and defaults", () => {
    const messages = checkProfile({
      ...base,
      safety: { deletionTreshold: 3 },
      rules: { users: { mappings: [{ type: "Direct", sorce: "mail", target: "userName" }] }, groups: { mappings: [] } },
    }).problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toContain(
      'safety.deletionTreshold: unknown setting "deletionTreshold"; did you mean "deletionThreshold"?',
    );
    expect(messages).toContain('rules.users.mappings.0.sorce: unknown setting "sorce"; did you mean "source"?');
  });
});
