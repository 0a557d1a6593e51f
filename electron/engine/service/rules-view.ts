import type { Profile } from "../../../shared/config/profile";
import type { Problem, RulesView } from "../../../shared/ipc/model";
import { defaultRules, validateRules } from "../rules";

export type { RulesView };

/** `rules.users.mappings[2].value` → `rules.users.mappings.2.value`, the path form of every profile problem. */
const dotted = (path: string) => path.replace(/\[(\d+)\]/g, ".$1");

/** The rules a cycle uses (the profile's own, or the preset's defaults) and what is wrong with them. */
export function rulesView(profile: Profile | null): RulesView {
  if (!profile) return { rules: defaultRules("generic"), problems: [] };
  const rules = profile.rules ?? defaultRules(profile.target.preset, profile.target.ssoMethodName);
  const problems = validateRules(rules, { preset: profile.target.preset }).map((p): Problem => ({
    path: dotted(p.path),
    severity: p.severity,
    message: p.message,
    ...(p.position === undefined ? {} : { offset: p.position }),
  }));
  return { rules, problems };
}
