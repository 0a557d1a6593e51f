import type { Rules } from "../../../shared/config/mappings";
import type { Profile } from "../../../shared/config/profile";
import type { DraftProblem, DraftProfile } from "../../../shared/ipc/draft-model";
import { EngineError } from "./errors";
import { checkProfile, formatProblems } from "./profile-io";
import { rulesView } from "./rules-view";

export type CheckedDraft =
  { ok: true; profile: Profile; rules: Rules; problems: DraftProblem[] } | { ok: false; problems: DraftProblem[] };

/**
 * An unsaved profile from the window, checked exactly as a save and `config import` check it (same schema, same
 * rule checks). Never throws for a bad draft: the problems name their paths. `ok` means the draft is a profile; its
 * rules may still have error-level problems, and each query decides whether those stop it (a broken mapping does not
 * stop a scope preview).
 */
export function checkDraft(draft: DraftProfile): CheckedDraft {
  const checked = checkProfile(draft);
  if (!checked.profile) return { ok: false, problems: checked.problems };
  return { ok: true, profile: checked.profile, rules: rulesView(checked.profile).rules, problems: checked.problems };
}

/** For queries that only need the draft's connection settings: a draft that is not a profile is a plain error. */
export function draftProfileOrThrow(draft: DraftProfile): Profile {
  const checked = checkDraft(draft);
  if (checked.ok) return checked.profile;
  throw new EngineError(
    "config",
    `The draft profile is not valid:\n${formatProblems(checked.problems)}`,
    JSON.stringify(checked.problems),
  );
}
