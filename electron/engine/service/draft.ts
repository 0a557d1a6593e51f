import type { Rules } from "../../../shared/config/mappings";
import type { Profile } from "../../../shared/config/profile";
import type { DraftProblem, DraftProfile } from "../../../shared/ipc/draft-model";
import { defaultRules, validateRules } from "../rules";
import { EngineError } from "./errors";
import { parseProfileJson, ProfileValidationError } from "./profile-io";

export type CheckedDraft =
  { ok: true; profile: Profile; rules: Rules; problems: DraftProblem[] } | { ok: false; problems: DraftProblem[] };

/**
 * An unsaved profile from the window, checked exactly as `config import` checks a file (same schema, same secret
 * refusal) plus the rule checks that block cycles. Never throws for a bad draft: the problems name their JSON paths.
 * `ok` means the draft is a profile; its rules may still have error-level problems, and each query decides whether
 * those stop it (a broken mapping does not stop a scope preview).
 */
export function checkDraft(draft: DraftProfile): CheckedDraft {
  let profile: Profile;
  try {
    profile = parseProfileJson(JSON.stringify(draft), "The draft profile");
  } catch (error) {
    if (!(error instanceof ProfileValidationError)) throw error;
    return { ok: false, problems: error.problems.map((p) => ({ ...p, severity: "error" })) };
  }
  const rules = profile.rules ?? defaultRules(profile.target.preset, profile.target.ssoMethodName);
  const problems = validateRules(rules, { preset: profile.target.preset, pathPrefix: "$.rules" }).map(
    ({ path, severity, message }) => ({ path, severity, message }),
  );
  return { ok: true, profile, rules, problems };
}

/** For queries that only need the draft's connection settings: a draft that fails the schema is a plain error. */
export function draftProfileOrThrow(draft: DraftProfile): Profile {
  try {
    return parseProfileJson(JSON.stringify(draft), "The draft profile");
  } catch (error) {
    if (!(error instanceof ProfileValidationError)) throw error;
    throw new EngineError("config", error.message, JSON.stringify(error.problems));
  }
}
