import type { ActionCounts, CycleSummary, LogEntry } from "../../shared/ipc/model";
import type { RulesTestReport } from "../engine/service/rules-test";

const seconds = (ms: number | null) => (ms === null ? "?" : `${(ms / 1000).toFixed(1)} s`);

function countsLine(label: string, c: ActionCounts): string {
  const parts = [
    `${c.create} created`,
    `${c.update} updated`,
    `${c.disable} disabled`,
    `${c.delete} deleted`,
    ...(c.stagedDelete > 0 ? [`${c.stagedDelete} held (deletion threshold)`] : []),
    `${c.skipped} skipped`,
    `${c.failed} failed`,
  ];
  return `  ${label.padEnd(8)}${parts.join(", ")}`;
}

const OUTCOME_WORDS: Record<CycleSummary["outcome"], string> = {
  running: "is still running",
  succeeded: "succeeded",
  completedWithFailures: "finished with failures",
  failed: "failed",
  stoppedByDeletionThreshold: "stopped by the deletion threshold",
  stoppedByCanary: "stopped: the source returned far fewer objects than before",
  quarantined: "failed and provisioning is quarantined",
  cancelled: "was cancelled (the next cycle picks up from the last saved point)",
};

/** A cycle in a few readable lines. */
export function formatCycle(summary: CycleSummary): string {
  const kind = summary.dryRun
    ? `preview of an ${summary.kind} cycle (nothing was changed in the target)`
    : `${summary.kind} cycle`;
  const lines = [
    `Cycle ${summary.id}, ${kind}, ${OUTCOME_WORDS[summary.outcome]} in ${seconds(summary.durationMs)}.`,
    countsLine("users", summary.counts.users),
    countsLine("groups", summary.counts.groups),
    `  members ${summary.counts.memberships.added} added, ${summary.counts.memberships.removed} removed`,
    `  requests ${summary.requests.graph} to Microsoft Graph, ${summary.requests.target} to the target`,
  ];
  if (summary.error) lines.push(`  ${summary.error}`);
  if (summary.outcome === "stoppedByDeletionThreshold" || summary.outcome === "stoppedByCanary") {
    lines.push(
      `  See what was held: provision-desk logs --cycle ${summary.id}`,
      "  Allow it once:     provision-desk sync --allow-deletes",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** What `sync --json` prints: one object, stable field names. */
export function cycleJson(summary: CycleSummary) {
  return {
    cycleId: summary.id,
    kind: summary.kind,
    dryRun: summary.dryRun,
    outcome: summary.outcome,
    counts: summary.counts,
    requests: summary.requests,
    durationMs: summary.durationMs,
    startedAt: summary.startedAt,
    endedAt: summary.endedAt,
    error: summary.error,
  };
}

export function formatLogLine(entry: LogEntry): string {
  const reason = entry.message ? ` — ${entry.message}` : "";
  const fix = entry.recommendation ? ` (${entry.recommendation})` : "";
  return `${entry.at}  #${entry.cycleId}  ${entry.objectType.padEnd(5)} ${entry.action.padEnd(12)} ${entry.status.padEnd(7)} ${entry.displayName}${reason}${fix}\n`;
}

const show = (value: unknown) => (value === null ? "(null: not sent)" : JSON.stringify(value));

/** `rules test`: the engine's scope decision with each of its steps, then one line per mapped target attribute. */
export function formatRulesTest(report: RulesTestReport): string {
  const who = report.user.userPrincipalName ?? report.user.id;
  const lines = [`${who} (${report.user.displayName ?? "no display name"}, id ${report.user.id})`];
  const verdict = !report.scope.inScope
    ? "OUT of scope"
    : report.scope.isSoftDeleted
      ? "IN scope, but disabled in the target"
      : "IN scope";
  lines.push(`Scope: ${verdict} — ${report.scope.reason}`);
  const mark = { pass: "ok  ", fail: "FAIL", info: "note" } as const;
  for (const step of report.scope.steps) lines.push(`  ${mark[step.outcome]} ${step.message}`);
  for (const problem of report.problems) lines.push(`  ${problem.severity}: ${problem.path}: ${problem.message}`);
  lines.push("Attributes:");
  for (const a of report.attributes) {
    const match = a.matchingPrecedence !== undefined ? ` [matching #${a.matchingPrecedence}]` : "";
    const result =
      a.status === "error"
        ? `ERROR ${a.error?.code}: ${a.error?.message}`
        : a.status === "skipped"
          ? `skipped (${a.skippedBecause})`
          : `${show(a.value ?? null)}${a.usedDefault ? " (default value)" : ""}`;
    lines.push(`  ${a.target}${match} = ${result}`);
  }
  lines.push(report.wouldProvision ? "This user would be provisioned." : "This user would NOT be provisioned.");
  return `${lines.join("\n")}\n`;
}
