import type { Database } from "better-sqlite3";
import type { Rules } from "../../../shared/config/mappings";
import type { Profile } from "../../../shared/config/profile";
import type { CycleSummary, LogEntry, Progress } from "../../../shared/ipc/model";
import { finishCycle } from "../db";
import { provisionOne, runCycle, type CycleOptions } from "../cycle";
import type { ProvisionOneResult } from "../cycle/provision-one";
import type { SourceClients, TargetClients } from "./clients";
import { errorKind, type EngineErrorKind } from "./errors";

export interface RunDeps {
  db: Database;
  profile: Profile;
  rules: Rules;
  source: SourceClients;
  target: TargetClients;
}

/** Entra quarantines a job when most calls fail, and from 5,000 failures on when over 40% of objects fail. */
const QUARANTINE_MIN_FAILURES = 5000;
const QUARANTINE_FAILURE_SHARE = 0.4;

function quarantineReason(summary: CycleSummary, authError: unknown): string | null {
  if (summary.dryRun) return null;
  if (summary.outcome === "failed" && authError) return "the credentials were rejected";
  const { users, groups } = summary.counts;
  const failed = users.failed + groups.failed;
  const handled = failed + [users, groups].reduce((n, c) => n + c.create + c.update + c.disable + c.delete, 0);
  return failed >= QUARANTINE_MIN_FAILURES && failed / handled > QUARANTINE_FAILURE_SHARE
    ? `${failed} of ${handled} objects failed`
    : null;
}

/**
 * One cycle through the engine, plus what the cycle itself does not decide: whether it failed for a rejected
 * credential (watched on the clients, see observe.ts) and whether that puts provisioning in quarantine.
 */
export async function runEngineCycle(
  deps: RunDeps & {
    options: CycleOptions;
    authError: () => unknown;
    onProgress: (progress: Progress) => void;
    onLog: (entry: LogEntry) => void;
  },
): Promise<{ summary: CycleSummary; failureKind: EngineErrorKind | null }> {
  const { summary } = await runCycle(
    {
      db: deps.db,
      profile: deps.profile,
      rules: deps.rules,
      graph: deps.source.graph,
      scim: deps.target.scim,
      onProgress: deps.onProgress,
      onLog: deps.onLog,
    },
    deps.options,
  );
  const authError = deps.authError();
  const reason = quarantineReason(summary, authError);
  if (reason) {
    summary.outcome = "quarantined";
    summary.error = `Quarantined because ${reason}: ${summary.error ?? "see the log"}`;
    finishCycle(deps.db, summary, null);
  }
  const failed = summary.outcome === "failed" || summary.outcome === "quarantined";
  return { summary, failureKind: !failed ? null : authError ? "auth" : "other" };
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

/** Remembers the first error that means a credential was refused. */
export function authWatch() {
  let first: unknown = null;
  return {
    seen: (error: unknown) => {
      if (first === null && errorKind(error) === "auth") first = error;
    },
    error: () => first,
  };
}
