import { useRef, useState } from "react";
import type { AppStatus, CycleSummary } from "../../../shared/ipc/model";
import type { AppError } from "../../../shared/ipc/result";
import { ErrorNotice } from "../components/ErrorNotice";
import { formatDateTime } from "../format";
import { useApp } from "../store";
import { openCycleLog } from "./Log";
import { openCyclePlan } from "./Preview";

type Control = "sync.cancel" | "sync.restart" | "sync.retryNow";

/** Runs one control; the dashboard follows by its own events, the cycles list is re-read. */
export function useRunControl() {
  const [pending, setPending] = useState<Control | null>(null);
  const [error, setError] = useState<{ control: Control; error: AppError } | null>(null);
  const run = async (control: Control) => {
    setPending(control);
    setError(null);
    const { api, refresh } = useApp.getState();
    const result = await api!.invoke(control, {});
    setPending(null);
    if (!result.ok) setError({ control, error: result.error });
    await Promise.all([refresh("dashboard"), refresh("cycles")]);
  };
  return { pending, error, run };
}

const failedTitle: Record<Control, string> = {
  "sync.cancel": "The cycle could not be cancelled",
  "sync.restart": "Provisioning could not be restarted",
  "sync.retryNow": "The retry did not run",
};

export type RunControl = ReturnType<typeof useRunControl>;

/**
 * The quarantine the last cycle ended in: why, and "Retry now" once the cause is fixed; a safety-gate stop of the last
 * provisioning cycle with the way to its held deletions; a control's failure.
 */
export function RecoveryNotices({ control }: { control: RunControl }) {
  const lastCycle = useApp((state) => state.dashboard.data?.lastCycle ?? null);
  // Dry runs write nothing, so a stop that still holds deletions is the newest real cycle's.
  const lastRun = useApp((state) => state.cycles.data?.find((c) => !c.dryRun && c.outcome !== "running") ?? null);
  const { pending, error, run } = control;
  return (
    <>
      {lastRun && (lastRun.outcome === "stoppedByDeletionThreshold" || lastRun.outcome === "stoppedByCanary") && (
        <GateStopPanel cycle={lastRun} />
      )}
      {lastCycle?.outcome === "quarantined" && (
        <QuarantinePanel
          cycle={lastCycle}
          pending={pending === "sync.retryNow"}
          onRetry={() => void run("sync.retryNow")}
        />
      )}
      {error && <ErrorNotice error={error.error} title={failedTitle[error.control]} />}
    </>
  );
}

/** The one place on the dashboard that says why provisioning is quarantined (elsewhere a pointer leads here). */
function QuarantinePanel({ cycle, onRetry, pending }: { cycle: CycleSummary; onRetry(): void; pending: boolean }) {
  return (
    <div className="notice notice-error quarantine" role="region" aria-label="Quarantine" data-testid="quarantine">
      <p className="notice-title">Provisioning is in quarantine</p>
      <p data-testid="quarantine-reason">
        {cycle.error ?? `The cycle of ${formatDateTime(cycle.startedAt)} could not reach a connection.`}
      </p>
      <p>
        Scheduled cycles now run less often (after 6 h, 12 h, then daily) until one succeeds. Fix the cause, then retry
        now.
      </p>
      <button type="button" className="primary" onClick={onRetry} disabled={pending} data-testid="retry-now">
        {pending ? "Retrying…" : "Retry now"}
      </button>
    </div>
  );
}

/** A cycle stopped at a safety gate held everything back: the deletion threshold's held deletions can be allowed once. */
function GateStopPanel({ cycle }: { cycle: CycleSummary }) {
  const threshold = cycle.outcome === "stoppedByDeletionThreshold";
  const [previewing, setPreviewing] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  // A canary stop plans nothing: a preview that looks past the gates lists what the drop would disable or delete.
  const previewPastGate = async () => {
    setPreviewing(true);
    setError(null);
    const { api, refresh } = useApp.getState();
    const result = await api!.invoke("plan.preview", { allowDeletes: true });
    setPreviewing(false);
    if (!result.ok) return setError(result.error);
    await refresh("cycles");
    openCyclePlan(result.value.cycleId);
  };
  return (
    <div className="notice notice-warn" role="region" aria-label="Stopped at a safety check" data-testid="gate-stop">
      <p className="notice-title">
        {threshold
          ? `The cycle of ${formatDateTime(cycle.startedAt)} stopped at the deletion threshold`
          : `The cycle of ${formatDateTime(cycle.startedAt)} stopped: Entra ID suddenly returned far fewer users and groups`}
      </p>
      {threshold ? (
        <p>
          Nothing was changed. Review the held deletions: allow them once if they are intended, otherwise fix the cause
          in Entra ID or the scope.
        </p>
      ) : (
        <p>
          Nothing was changed and nothing was planned. Check the app&apos;s assignments and the Graph permissions. If
          the drop is intended, preview past this check to see every disable and delete it would cause, and apply only
          what you approve.
        </p>
      )}
      <div className="button-row">
        {threshold && (
          <button
            type="button"
            className="primary"
            onClick={() => openCyclePlan(cycle.id)}
            data-testid="review-held-deletions"
          >
            Review held deletions
          </button>
        )}
        {!threshold && (
          <button
            type="button"
            className="primary"
            onClick={() => void previewPastGate()}
            disabled={previewing}
            data-testid="preview-past-canary"
          >
            {previewing ? "Previewing…" : "Preview what would go"}
          </button>
        )}
        <button type="button" onClick={() => openCycleLog(cycle.id)}>
          Open its log
        </button>
      </div>
      {error && <ErrorNotice error={error} title="The preview could not be made" />}
    </div>
  );
}

/** Cancel a running cycle and Restart provisioning (with a confirm that says what it does): buttons for the run row. */
export function RunButtons({ status, running, control }: { status: AppStatus; running: boolean; control: RunControl }) {
  const { pending, run } = control;
  const confirm = useRef<HTMLDialogElement>(null);
  return (
    <>
      {status === "syncing" && (
        <button
          type="button"
          onClick={() => void run("sync.cancel")}
          disabled={pending === "sync.cancel"}
          data-testid="cancel-cycle"
        >
          {pending === "sync.cancel" ? "Cancelling…" : "Cancel cycle"}
        </button>
      )}
      <button
        type="button"
        onClick={() => confirm.current?.showModal()}
        disabled={running || pending !== null}
        data-testid="restart"
      >
        Restart provisioning…
      </button>
      <dialog ref={confirm} className="confirm" aria-labelledby="restart-title" data-testid="restart-dialog">
        <form method="dialog">
          <h2 id="restart-title">Restart provisioning?</h2>
          <p>The next cycle reads everything from Entra ID again instead of only the changes. Restarting:</p>
          <ul>
            <li>forgets where the last cycle stopped reading (the delta links);</li>
            <li>clears objects held in escrow and any quarantine, so they are tried again;</li>
            <li>keeps the links between Entra ID objects and target objects, so nothing is created twice.</li>
          </ul>
          <div className="button-row">
            <button type="submit" value="cancel" autoFocus>
              Cancel
            </button>
            <button
              type="submit"
              value="restart"
              className="primary"
              data-testid="restart-confirm"
              onClick={() => void run("sync.restart")}
            >
              Restart
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
