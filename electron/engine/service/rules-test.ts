import type { Database } from "better-sqlite3";
import type { Rules } from "../../../shared/config/mappings";
import type { Profile } from "../../../shared/config/profile";
import type { DraftProblem } from "../../../shared/ipc/draft-model";
import type { ScopeStep } from "../../../shared/ipc/model";
import { loadMirror } from "../db";
import type { SourceObject } from "../db/types";
import { sourceSelect } from "../cycle/read";
import { entraView } from "../cycle/source-view";
import { testMappings, type AttributeTestResult } from "../rules";
import { getUser, type GraphClient } from "../source";
import { EngineError } from "./errors";
import { liveUserScope } from "../cycle/user-scope";

/** What `rules test` shows: who was read, the engine's scope decision step by step, and every mapped attribute. */
export interface RulesTestReport {
  user: { id: string; userPrincipalName: string | null; displayName: string | null };
  scope: { inScope: boolean; isSoftDeleted: boolean; reason: string; steps: ScopeStep[] };
  attributes: AttributeTestResult[];
  /** True when a cycle would create or update this user as an active account: in scope, enabled, no mapping failed. */
  wouldProvision: boolean;
  problems: DraftProblem[];
}

const text = (value: unknown) => (typeof value === "string" ? value : null);

/**
 * Graph hides deleted users from /users; the state database's mirror still knows the ones a cycle has seen, so their
 * test says "deleted in Entra" rather than "not found".
 */
function deletedInMirror(db: Database, profileName: string, idOrUpn: string): SourceObject | undefined {
  const wanted = idOrUpn.toLowerCase();
  for (const user of loadMirror(db, profileName, "user").values()) {
    if (!user.removed) continue;
    if (user.id.toLowerCase() === wanted || text(user.attributes.userPrincipalName)?.toLowerCase() === wanted)
      return user;
  }
  return undefined;
}

/** Reads one user as the cycle would ($select from the rules), or the deleted one the mirror knows; null when neither. */
export async function readUser(
  graph: GraphClient,
  rules: Rules,
  idOrUpn: string,
  fallback?: { db: Database; profileName: string },
): Promise<SourceObject | null> {
  const raw = await getUser(graph, idOrUpn, sourceSelect(rules).users);
  if (raw) return { type: "user", id: String(raw.id), attributes: raw, removed: null };
  return (fallback && deletedInMirror(fallback.db, fallback.profileName, idOrUpn)) ?? null;
}

export function userNotFound(idOrUpn: string, profile: Profile): EngineError {
  return new EngineError(
    "notFound",
    `No user "${idOrUpn}" was found in Entra ID (tenant ${profile.source.tenantId}). Check the user principal name or object id.`,
  );
}

export async function runRulesTest(
  graph: GraphClient,
  profile: Profile,
  rules: Rules,
  idOrUpn: string,
  options: { db: Database; problems?: DraftProblem[] },
): Promise<RulesTestReport> {
  const user = await readUser(graph, rules, idOrUpn, { db: options.db, profileName: profile.name });
  if (!user) throw userNotFound(idOrUpn, profile);
  const { decision, steps } = await liveUserScope(graph, profile, rules, user);
  const { attributes, failed } = testMappings(rules.users, entraView(user, decision.softDeleted));
  return {
    user: {
      id: user.id,
      userPrincipalName: text(user.attributes.userPrincipalName),
      displayName: text(user.attributes.displayName),
    },
    scope: { inScope: decision.inScope, isSoftDeleted: decision.softDeleted, reason: decision.reason, steps },
    attributes,
    wouldProvision: decision.inScope && !decision.softDeleted && !failed,
    problems: options.problems ?? [],
  };
}
