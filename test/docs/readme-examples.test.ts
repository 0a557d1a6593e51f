import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { ProfileSchema } from "../../shared/config/profile";
import { RulesSchema } from "../../shared/config/mappings";
import { validateRules } from "../../electron/engine/rules";

// The README's examples are what admins copy: they must stay valid as the schema grows.
const blocks = [...readFileSync("README.md", "utf8").matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

it("the README's profile example is a valid profile", () => {
  const profile = ProfileSchema.parse(JSON.parse(blocks[0]!));
  expect(profile.target.preset).toBe("splashtop");
});

it("the README's rules example is valid and passes rule validation", () => {
  const rules = RulesSchema.parse(JSON.parse(`{${blocks[1]!}}`).rules);
  const errors = validateRules(rules, { preset: "splashtop" }).filter((problem) => problem.severity === "error");
  expect(errors).toEqual([]);
});
