import type { Database } from "better-sqlite3";
import type { Rules } from "../../../shared/config/mappings";
import type { Profile } from "../../../shared/config/profile";
import type { CycleSummary, LogEntry, Progress } from "../../../shared/ipc/model";
import { provisionOne, runCycle, type CycleOptions } from "../cycle";
import { graphSelectFor, testRules, type RulesTestResult } from "../rules";
import { entraView } from "../cycle/source-view";
import { getUser } from "../source";
import type { SourceClients, TargetClients } from "./clients";
import { EngineError, errorKind, type EngineErrorKind } from "./errors";

interface RunDeps {
  db: Database;
  profile: Profile;
  rules: Rules;
  source: SourceClients;
  target: TargetClients;
}

/** One cycle through the engine; a failure that ended the cycle is classified so callers can tell auth from the rest. */
export async function runEngineCycle(
  deps: RunDeps & { options: CycleOptions; onProgress: (progress: Progress) => void; onLog: (entry: LogEntry) => void },
): Promise<{ summary: CycleSummary; failureKind: EngineErrorKind | null }> {
  const result = await runCycle(
    { db: deps.db, profile: deps.profile, rules: deps.rules, graph: deps.source.graph, scim: deps.target.scim, onProgress: deps.onProgress, onLog: deps.onLog },
    deps.options,
  );
  const summary = result.summary;
  return { summary, failureKind: result.error ? errorKind(result.error) : null };
}

export function runProvisionOne(deps: RunDeps, user: string) {
  return provisionOne({ db: deps.db, profile: deps.profile, rules: deps.rules, graph: deps.source.graph, scim: deps.target.scim }, user);
}

/** What `rules test` shows: who was read, the scoping decision with its deciding clause, and every mapped attribute. */
export interface RulesTestReport extends RulesTestResult {
  user: { id: string; userPrincipalName: string | null; displayName: string | null };
}

export async function runRulesTest(profile: Profile, rules: Rules, source: SourceClients, user: string): Promise<RulesTestReport> {
  const select = [...new Set([...graphSelectFor("users", rules), "userPrincipalName", "displayName", "accountEnabled"])];
  const raw = await getUser(source.graph, user, select);
  if (!raw) throw new EngineError("config", `No user "${user}" was found in Entra ID (tenant ${profile.source.tenantId}). Check the UPN or object id.`);
  const id = String(raw.id);
  const view = entraView({ type: "user", id, attributes: raw, removed: null }, raw.accountEnabled === false);
  const str = (value: unknown) => (typeof value === "string" ? value : null);
  return { user: { id, userPrincipalName: str(raw.userPrincipalName), displayName: str(raw.displayName) }, ...testRules(rules.users, view) };
}
