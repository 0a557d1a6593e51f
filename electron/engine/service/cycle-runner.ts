import type { Database } from "better-sqlite3";
import type { Rules } from "../../../shared/config/mappings";
import type { Profile } from "../../../shared/config/profile";
import type { LogEntry, Progress } from "../../../shared/ipc/model";
import { provisionOne, runCycle, type CycleOptions, type CycleResult } from "../cycle";
import type { ProvisionOneResult } from "../cycle/provision-one";
import { entraView } from "../cycle/source-view";
import { graphSelectFor, testRules, type RulesTestResult } from "../rules";
import { getUser } from "../source";
import type { SourceClients, TargetClients } from "./clients";
import { EngineError } from "./errors";

export interface RunDeps {
  db: Database;
  profile: Profile;
  rules: Rules;
  source: SourceClients;
  target: TargetClients;
}

/** One cycle through the engine on opened clients; the result carries its failure kind and quarantine decision. */
export function runEngineCycle(
  deps: RunDeps & {
    options: CycleOptions;
    signal: AbortSignal;
    onProgress: (progress: Progress) => void;
    onLog: (entry: LogEntry) => void;
  },
): Promise<CycleResult> {
  return runCycle(
    {
      db: deps.db,
      profile: deps.profile,
      rules: deps.rules,
      graph: deps.source.graph,
      scim: deps.target.scim,
      signal: deps.signal,
      onProgress: deps.onProgress,
      onLog: deps.onLog,
    },
    deps.options,
  );
}

export function runProvisionOne(
  deps: RunDeps & { onLog: (entry: LogEntry) => void },
  user: string,
): Promise<ProvisionOneResult> {
  return provisionOne(
    {
      db: deps.db,
      profile: deps.profile,
      rules: deps.rules,
      graph: deps.source.graph,
      scim: deps.target.scim,
      onLog: deps.onLog,
    },
    user,
  );
}

/** What `rules test` shows: who was read, the scoping decision with its deciding clause, and every mapped attribute. */
export interface RulesTestReport extends RulesTestResult {
  user: { id: string; userPrincipalName: string | null; displayName: string | null };
}

export async function runRulesTest(
  profile: Profile,
  rules: Rules,
  source: SourceClients,
  user: string,
): Promise<RulesTestReport> {
  const select = [
    ...new Set([...graphSelectFor("users", rules), "userPrincipalName", "displayName", "accountEnabled"]),
  ];
  const raw = await getUser(source.graph, user, select);
  if (!raw)
    throw new EngineError(
      "config",
      `No user "${user}" was found in Entra ID (tenant ${profile.source.tenantId}). Check the UPN or object id.`,
    );
  const id = String(raw.id);
  const view = entraView({ type: "user", id, attributes: raw, removed: null }, raw.accountEnabled === false);
  const str = (value: unknown) => (typeof value === "string" ? value : null);
  return {
    user: { id, userPrincipalName: str(raw.userPrincipalName), displayName: str(raw.displayName) },
    ...testRules(rules.users, view),
  };
}
