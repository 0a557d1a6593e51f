import { useEffect, useState } from "react";
import type { CycleSummary, EscrowItem } from "../../../shared/ipc/model";
import type { AppError } from "../../../shared/ipc/result";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, ColumnHeads } from "../components/ui";
import { formatDateTime, formatRelative, outcomeLabel, plural, summarizeCounts } from "../format";
import { useApp } from "../store";

const keyOf = (item: EscrowItem) => `${item.type}:${item.sourceId}`;

/** What the last "Retry now" did: the cycle it ran, and whether the object is still held after it. */
interface Retried {
  item: EscrowItem;
  cycle: CycleSummary;
}

/**
 * Objects held in escrow after failures: what failed, how often, and when it is tried again. "Retry now" ends one
 * object's back-off and runs an incremental cycle at once (after the admin fixed the cause). Shown only when there
 * are some, or to report the last retry.
 */
export function EscrowCard() {
  const lastCycleId = useApp((state) => state.dashboard.data?.lastCycle?.id ?? null);
  const busy = useApp((state) => state.run.pending || state.dashboard.data?.status === "syncing");
  const [items, setItems] = useState<EscrowItem[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);
  const [retried, setRetried] = useState<Retried | null>(null);
  const [retryError, setRetryError] = useState<AppError | null>(null);
  useEffect(() => {
    void useApp
      .getState()
      .api!.invoke("escrow.list", {})
      .then((result) => {
        setItems(result.ok ? result.value : []);
        setError(result.ok ? null : result.error);
      });
  }, [lastCycleId]);
  const retry = async (item: EscrowItem) => {
    setRetrying(keyOf(item));
    setRetried(null);
    setRetryError(null);
    const { api, refresh } = useApp.getState();
    const result = await api!.invoke("escrow.retry", { type: item.type, sourceId: item.sourceId });
    setRetrying(null);
    if (result.ok) {
      setRetried({ item, cycle: result.value });
      // The status card reports the cycle just run, as after "Provision now".
      useApp.setState({ run: { pending: false, dryRun: false, result: result.value, error: null } });
    } else setRetryError(result.error);
    await Promise.all([refresh("dashboard"), refresh("cycles")]);
  };
  if (error) return <ErrorNotice error={error} title="The objects held after failures could not be read" />;
  if (!items.length && !retried && !retryError) return null;
  const stillHeld = retried && items.some((i) => keyOf(i) === keyOf(retried.item));
  return (
    <Card title="Held after failures (escrow)" className="wide" testId="escrow-card">
      {items.length > 0 && (
        <p className="muted">
          {plural(items.length, "object")} failed and {items.length === 1 ? "is" : "are"} tried again less and less
          often. Fix the cause, then use Retry now: an incremental cycle runs at once and tries that object. Restart
          provisioning tries them all on the next (full) cycle.
        </p>
      )}
      {retried && (
        <p role="status" className="notice" data-testid="escrow-retried" data-still-held={Boolean(stillHeld)}>
          Cycle {retried.cycle.id} tried {retried.item.displayName} ({outcomeLabel[retried.cycle.outcome]}:{" "}
          {summarizeCounts(retried.cycle)}).{" "}
          {stillHeld
            ? "It failed again and is still held: see its last error below and in the log."
            : "It is no longer held."}
        </p>
      )}
      {retryError && <ErrorNotice error={retryError} title="The retry did not run" />}
      {items.length > 0 && (
        <table className="table wrap compact">
          <ColumnHeads
            columns={["Object", "Last error", "Attempts", "Next attempt", <span className="sr-only">Actions</span>]}
          />
          <tbody>
            {items.map((item) => (
              <tr key={keyOf(item)} data-testid="escrow-item" data-source-id={item.sourceId}>
                <th scope="row">
                  {item.displayName} <span className="muted">({item.type === "user" ? "user" : "group"})</span>
                </th>
                <td>{item.error}</td>
                <td>{item.attempts}</td>
                <td>
                  {formatDateTime(item.nextAttemptAt)} ({formatRelative(item.nextAttemptAt)})
                </td>
                <td>
                  <button
                    type="button"
                    disabled={busy || retrying !== null}
                    onClick={() => void retry(item)}
                    aria-label={`Retry now: ${item.displayName}`}
                    className="nowrap"
                    data-testid="escrow-retry"
                  >
                    {retrying === keyOf(item) ? "Retrying…" : "Retry now"}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
