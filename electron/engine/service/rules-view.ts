import type { Rules } from "../../../shared/config/mappings";
import type { Profile } from "../../../shared/config/profile";
import { defaultRules, validateRules } from "../rules";
import type { RuleProblem } from "./types";

export interface RulesView {
  rules: Rules;
  problems: RuleProblem[];
}

/** The rules a cycle uses (the profile's own, or the preset's defaults) and what is wrong with them. */
export function rulesView(profile: Profile | null): RulesView {
  if (!profile) return { rules: defaultRules("generic"), problems: [] };
  const rules = profile.rules ?? defaultRules(profile.target.preset, profile.target.ssoMethodName);
  return { rules, problems: validateRules(rules, { preset: profile.target.preset }) };
}
