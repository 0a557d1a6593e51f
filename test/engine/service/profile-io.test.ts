import { describe, expect, it } from "vitest";
import {
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
});
