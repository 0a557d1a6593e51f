import { useEffect, useState } from "react";
import type { EscrowItem } from "../../../shared/ipc/model";
import type { AppError } from "../../../shared/ipc/result";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, ColumnHeads } from "../components/ui";
import { formatDateTime, formatRelative, plural } from "../format";
import { useApp } from "../store";

/**
 * Objects held in escrow after failures: what failed, how often, and when it is tried again. Shown only when there
 * are some; Restart provisioning tries them all on the next cycle.
 */
export function EscrowCard() {
  const lastCycleId = useApp((state) => state.dashboard.data?.lastCycle?.id ?? null);
  const [items, setItems] = useState<EscrowItem[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    void useApp
      .getState()
      .api!.invoke("escrow.list", {})
      .then((result) => {
        setItems(result.ok ? result.value : []);
        setError(result.ok ? null : result.error);
      });
  }, [lastCycleId]);
  if (error) return <ErrorNotice error={error} title="The objects held after failures could not be read" />;
  if (!items.length) return null;
  return (
    <Card title="Held after failures (escrow)" className="wide" testId="escrow-card">
      <p className="muted">
        {plural(items.length, "object")} failed and {items.length === 1 ? "is" : "are"} tried again less and less often.
        Fix the cause, then use Restart provisioning to try {items.length === 1 ? "it" : "them"} on the next cycle.
      </p>
      <table className="table wrap compact">
        <ColumnHeads columns={["Object", "Last error", "Attempts", "Next attempt"]} />
        <tbody>
          {items.map((item) => (
            <tr key={`${item.type}:${item.sourceId}`} data-testid="escrow-item">
              <th scope="row">
                {item.displayName} <span className="muted">({item.type === "user" ? "user" : "group"})</span>
              </th>
              <td>{item.error}</td>
              <td>{item.attempts}</td>
              <td>
                {formatDateTime(item.nextAttemptAt)} ({formatRelative(item.nextAttemptAt)})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
