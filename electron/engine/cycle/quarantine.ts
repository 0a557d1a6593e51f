import type { CycleSummary } from "../../../shared/ipc/model";
import type { CycleResult } from "./types";

/** Entra quarantines a job when most calls fail, and from 5,000 failures on when over 40% of objects fail. */
const QUARANTINE_MIN_FAILURES = 5000;
const QUARANTINE_FAILURE_SHARE = 0.4;

/** Why this cycle puts provisioning in quarantine (a refused credential, or most objects failing); null when it does not. */
export function quarantineReason(summary: CycleSummary, failure: CycleResult["failure"]): string | null {
  if (summary.dryRun) return null;
  if (failure?.kind === "auth") return "the credentials were rejected";
  const { users, groups } = summary.counts;
  const failed = users.failed + groups.failed;
  const handled = failed + [users, groups].reduce((n, c) => n + c.create + c.update + c.disable + c.delete, 0);
  return failed >= QUARANTINE_MIN_FAILURES && failed / handled > QUARANTINE_FAILURE_SHARE
    ? `${failed} of ${handled} objects failed`
    : null;
}
