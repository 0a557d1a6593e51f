import type { CycleSummary, Dashboard as DashboardData, Progress } from "../../../shared/ipc/model";
import { ErrorNotice } from "../components/ErrorNotice";
import { ColumnHeads, Card, Empty, Facts, Loading, Pill, SectionHeader, StatusBadge } from "../components/ui";
import {
  formatDateTime,
  formatDuration,
  formatRelative,
  outcomeLabel,
  outcomeTone,
  plural,
  summarizeCounts,
} from "../format";
import { useApp } from "../store";
import { EscrowCard } from "./EscrowCard";
import { CycleCharts } from "./history/CycleCharts";
import { openCycleLog } from "./Log";
import { RecoveryNotices, RunButtons, useRunControl } from "./RunControls";

const phaseLabel: Record<Progress["phase"], string> = {
  read: "Reading Entra ID",
  scope: "Deciding scope",
  match: "Matching target objects",
  evaluate: "Evaluating mappings",
  diff: "Comparing",
  gates: "Safety checks",
  apply: "Applying changes",
  commit: "Saving state",
};

const phases = Object.keys(phaseLabel) as Progress["phase"][];

/** Where the running cycle is, phase by phase, with the whole cycle's real counts. */
function ProgressView({ progress }: { progress: Progress }) {
  const { counts } = progress;
  const at = phases.indexOf(progress.phase);
  return (
    <div className="progress" data-testid="cycle-progress" data-phase={progress.phase}>
      <ol className="stepper" aria-label={`Cycle ${progress.cycleId} progress`}>
        {phases.map((phase, index) => (
          <li
            key={phase}
            className={index < at ? "step-done" : index === at ? "step-current" : undefined}
            aria-current={index === at ? "step" : undefined}
          >
            {phaseLabel[phase]}
            {index === at && progress.total > 0 && ` (${progress.done} of ${progress.total})`}
          </li>
        ))}
      </ol>
      <p className="progress-counts" data-testid="progress-counts">
        {plural(counts.usersRead, "user")} and {plural(counts.groupsRead, "group")} read · {counts.evaluated} of{" "}
        {counts.toEvaluate} evaluated · {counts.applied} of {plural(counts.toApply, "change")} applied
      </p>
      <progress
        aria-label="Changes applied"
        max={Math.max(counts.toApply, 1)}
        value={counts.toApply ? counts.applied : 0}
      />
    </div>
  );
}

function CountsTable({ cycle }: { cycle: CycleSummary }) {
  const { users, groups } = cycle.counts;
  const rows: [string, keyof typeof users][] = [
    ["Created", "create"],
    ["Updated", "update"],
    ["Disabled", "disable"],
    ["Deleted", "delete"],
    ["Skipped", "skipped"],
    ["Failed", "failed"],
  ];
  return (
    <table className="table compact" aria-label={`Changes in cycle ${cycle.id}`}>
      <ColumnHeads columns={["Action", "Users", "Groups"]} />
      <tbody>
        {rows.map(([label, key]) => (
          <tr key={key}>
            <th scope="row">{label}</th>
            <td>{users[key]}</td>
            <td>{groups[key]}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">Memberships</th>
          <td colSpan={2}>
            +{cycle.counts.memberships.added} / −{cycle.counts.memberships.removed}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/**
 * The cycle whose reason the quarantine panel (in the status card) shows, or null: everywhere else on the dashboard
 * that cycle gets a pointer to the panel instead of the same reason again.
 */
function useQuarantinedCycleId(): number | null {
  return useApp((state) => {
    const last = state.dashboard.data?.lastCycle;
    return last?.outcome === "quarantined" ? last.id : null;
  });
}

/** The outcome of a cycle and why it failed; `panelIs` says where the quarantine panel is, when it shows the reason. */
function CycleOutcome({ cycle, panelIs }: { cycle: CycleSummary; panelIs?: "above" | "below" }) {
  const quarantinedId = useQuarantinedCycleId();
  const pointer = panelIs && cycle.id === quarantinedId;
  return (
    <>
      <p className="cycle-line">
        <Pill tone={outcomeTone(cycle.outcome)}>{outcomeLabel[cycle.outcome]}</Pill>
        {cycle.dryRun && <Pill tone="neutral">Dry run</Pill>}
        <span>{summarizeCounts(cycle)}</span>
      </p>
      {pointer ? (
        <p className="muted" data-testid="quarantine-pointer">
          Quarantined — see {panelIs === "above" ? "the reason and Retry now under Status above" : "below"}.
        </p>
      ) : (
        cycle.error && <ErrorNotice error={{ code: cycle.outcome, message: cycle.error }} />
      )}
    </>
  );
}

function CycleFacts({ cycle }: { cycle: CycleSummary }) {
  return (
    <>
      <CycleOutcome cycle={cycle} panelIs="above" />
      <Facts
        items={[
          ["Started", formatDateTime(cycle.startedAt)],
          ["Duration", formatDuration(cycle.durationMs)],
          ["Kind", cycle.kind === "initial" ? "Initial (full)" : "Incremental"],
          ["Requests", `${cycle.requests.graph} to Entra ID, ${cycle.requests.target} to the target`],
        ]}
      />
    </>
  );
}

/**
 * The outcome of the last "Provision now" or dry run started from this window; on the dashboard a quarantine's reason
 * is in the panel below it.
 */
export function RunResult({ quarantinePanelBelow = false }: { quarantinePanelBelow?: boolean }) {
  const { run } = useApp();
  return (
    <>
      {run.error && (
        <ErrorNotice error={run.error} title={run.dryRun ? "The dry run did not run" : "Provisioning did not run"} />
      )}
      {run.result && (
        <div className="run-result" role="status" data-testid="run-result" data-outcome={run.result.outcome}>
          <h3>
            {run.result.outcome === "succeeded" || run.result.outcome === "completedWithFailures"
              ? run.dryRun
                ? "Dry run finished: nothing was changed in the target"
                : "Provisioning finished"
              : run.dryRun
                ? "The dry run stopped"
                : "Provisioning stopped before it finished"}
          </h3>
          <CycleOutcome cycle={run.result} panelIs={quarantinePanelBelow ? "below" : undefined} />
        </div>
      )}
    </>
  );
}

function StatusCard({ data }: { data: DashboardData }) {
  const { run, provisionNow, setPaused, pauseError } = useApp();
  const paused = data.status === "paused";
  const busy = run.pending || data.status === "syncing";
  const control = useRunControl();
  const quarantinedId = useQuarantinedCycleId();
  // The engine's quarantine status repeats the reason (the tray and the CLI need it); the panel below shows it here.
  const aboutQuarantine =
    quarantinedId !== null && data.status === "error" && data.statusMessage.startsWith(data.lastCycle?.error ?? "\0");
  return (
    <Card title="Status" className="status-card" testId="status-card">
      <div className="status-row">
        <StatusBadge status={data.status} />
        <p className="status-message" data-testid="status-message">
          {aboutQuarantine ? "Quarantined — see below." : data.statusMessage}
        </p>
      </div>
      {data.progress && busy && <ProgressView progress={data.progress} />}
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void provisionNow({ dryRun: false })}
          data-testid="provision-now"
        >
          {run.pending && !run.dryRun ? "Provisioning…" : "Provision now"}
        </button>
        <button type="button" disabled={busy} onClick={() => void provisionNow({ dryRun: true })} data-testid="dry-run">
          {run.pending && run.dryRun ? "Previewing…" : "Dry run (preview)"}
        </button>
        <button type="button" onClick={() => void setPaused(!paused)} data-testid="pause-toggle">
          {paused ? "Resume schedule" : "Pause schedule"}
        </button>
        <RunButtons status={data.status} running={busy} control={control} />
      </div>
      {pauseError && <ErrorNotice error={pauseError} title="The schedule could not be changed" />}
      <RunResult quarantinePanelBelow />
      <RecoveryNotices control={control} />
    </Card>
  );
}

function CyclesTable({ cycles }: { cycles: CycleSummary[] }) {
  if (!cycles.length)
    return <Empty>No provisioning cycle has run yet. Press “Provision now” to run the first one.</Empty>;
  return (
    <table className="table" data-testid="cycles-table">
      <ColumnHeads columns={["#", "Started", "Outcome", "Changes", "Duration"]} />
      <tbody>
        {cycles.map((cycle) => (
          <tr key={cycle.id}>
            <td>
              <button
                type="button"
                className="link-button cycle-link"
                onClick={() => openCycleLog(cycle.id)}
                aria-label={`Cycle ${cycle.id}: open its log entries`}
                data-testid="cycle-log-link"
              >
                {cycle.id}
              </button>
            </td>
            <td>{formatDateTime(cycle.startedAt)}</td>
            <td>
              <Pill tone={outcomeTone(cycle.outcome)}>{outcomeLabel[cycle.outcome]}</Pill>{" "}
              {cycle.dryRun && <Pill tone="neutral">Dry run</Pill>}
            </td>
            <td>{summarizeCounts(cycle)}</td>
            <td>{formatDuration(cycle.durationMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Dashboard() {
  const { dashboard, cycles } = useApp();
  const data = dashboard.data;
  return (
    <>
      <SectionHeader
        title="Dashboard"
        description="What ProvisionDesk is doing, and what the last provisioning cycle changed."
      />
      {dashboard.error && <ErrorNotice error={dashboard.error} title="The status could not be read" />}
      {!data ? (
        <Loading what="status" />
      ) : (
        <>
          <StatusCard data={data} />
          <div className="grid two">
            <Card title="Schedule" testId="schedule-card">
              <Facts
                items={[
                  ["Profile", data.profileName ?? "No profile imported"],
                  [
                    "Next cycle",
                    data.nextCycleAt
                      ? `${formatDateTime(data.nextCycleAt)} (${formatRelative(data.nextCycleAt)})`
                      : "Not scheduled",
                  ],
                  ["Interval", data.intervalMinutes ? `Every ${data.intervalMinutes} minutes` : "—"],
                  [
                    "Linked in the target",
                    `${plural(data.linked.users, "user")}, ${plural(data.linked.groups, "group")}`,
                  ],
                ]}
              />
            </Card>
            <Card title="Last cycle" testId="last-cycle-card">
              {data.lastCycle ? (
                <>
                  <CycleFacts cycle={data.lastCycle} />
                  <CountsTable cycle={data.lastCycle} />
                </>
              ) : (
                <Empty>No cycle has run yet.</Empty>
              )}
            </Card>
          </div>
        </>
      )}
      <EscrowCard />
      {cycles.data && <CycleCharts cycles={cycles.data} />}
      <Card title="Recent cycles" className="wide">
        {cycles.error && <ErrorNotice error={cycles.error} />}
        {cycles.data ? <CyclesTable cycles={cycles.data} /> : <Loading what="cycles" />}
      </Card>
    </>
  );
}
