import type { Database } from "better-sqlite3";
import type { Rules } from "../../../shared/config/mappings";
import type { Profile } from "../../../shared/config/profile";
import type { LogEntry, Progress } from "../../../shared/ipc/model";
import { provisionGroup, provisionOne, runCycle, type CycleDeps, type CycleOptions, type CycleResult } from "../cycle";
import type { SourceClients, TargetClients } from "./clients";

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

export type OnDemandRunDeps = RunDeps & { onLog: (entry: LogEntry) => void };

/** The engine's dependencies for provision on demand, on opened clients. */
const onDemandDeps = (deps: OnDemandRunDeps): CycleDeps => ({
  db: deps.db,
  profile: deps.profile,
  rules: deps.rules,
  graph: deps.source.graph,
  scim: deps.target.scim,
  onLog: deps.onLog,
});

export const runProvisionOne = (deps: OnDemandRunDeps, user: string) => provisionOne(onDemandDeps(deps), user);

export const runProvisionGroup = (deps: OnDemandRunDeps, group: string, members: string[] = []) =>
  provisionGroup(onDemandDeps(deps), group, members);
