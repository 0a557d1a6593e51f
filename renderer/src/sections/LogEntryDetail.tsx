import type { LogEntry } from "../../../shared/ipc/model";
import { ColumnHeads, Facts, Pill } from "../components/ui";
import { formatChange, formatDateTime, formatValue } from "../format";

const tone = (status: LogEntry["status"]) =>
  status === "Success" ? "ok" : status === "Failure" ? "bad" : status === "Warning" ? "warn" : "neutral";

const isEmpty = (value: unknown) => value === null || value === undefined || value === "";

/** A list (members added or removed) reads as a list, one name a line, never as JSON. */
function ChangedValue({ value, text, className }: { value: unknown; text: string; className: string }) {
  if (Array.isArray(value) && value.length)
    return (
      <td className={className}>
        <ul className="value-list">
          {value.map((item, index) => (
            <li key={index}>{formatValue(item)}</li>
          ))}
        </ul>
      </td>
    );
  return <td className={isEmpty(value) ? "no-value" : className}>{text}</td>;
}

/** Everything known about one provisioning action: the technical detail, one click from the list. */
export function LogEntryDetail({ entry }: { entry: LogEntry }) {
  return (
    <div className="log-detail" data-testid="log-detail">
      {entry.status === "Failure" && (
        <div className="notice notice-error">
          <p className="notice-what">{entry.message ?? "The action failed."}</p>
          {entry.recommendation && <p className="notice-why">What to do: {entry.recommendation}</p>}
        </div>
      )}
      {entry.status !== "Failure" && entry.message && <p>{entry.message}</p>}
      <div className="log-detail-grid">
        <div>
          <h3>Steps</h3>
          <ol className="steps">
            {entry.steps.map((step, index) => (
              <li key={index}>
                <Pill tone={tone(step.status)}>{step.status}</Pill> <strong>{step.name}</strong>
                <span className="step-detail">{step.detail}</span>
              </li>
            ))}
          </ol>
        </div>
        <div>
          <h3>Identifiers</h3>
          <Facts
            items={[
              ["When", formatDateTime(entry.at)],
              ["Cycle", String(entry.cycleId)],
              ["Entra ID object", <code key="s">{entry.sourceId}</code>],
              ["Target object", entry.targetId ? <code key="t">{entry.targetId}</code> : "—"],
              ["Error code", entry.errorCode ? <code key="e">{entry.errorCode}</code> : "—"],
              [
                "Request IDs",
                entry.requestIds.length ? (
                  <ul key="r" className="value-list" data-testid="request-ids">
                    {entry.requestIds.map((id) => (
                      <li key={id}>
                        <code>{id}</code>
                      </li>
                    ))}
                  </ul>
                ) : (
                  "—"
                ),
              ],
            ]}
          />
        </div>
      </div>
      <h3>Modified properties</h3>
      {entry.modified.length ? (
        <table className="table compact" aria-label="Modified properties">
          <ColumnHeads columns={["Attribute", "Old value", "New value"]} />
          <tbody>
            {entry.modified.map((change) => {
              // Booleans read alike on both sides ("true → false", not "True → false"), as in Preview.
              const [before, after] = formatChange(change.old, change.new);
              return (
                <tr key={change.attribute}>
                  <td>
                    <code>{change.attribute}</code>
                  </td>
                  <ChangedValue value={change.old} text={before} className="old-value" />
                  <ChangedValue value={change.new} text={after} className="new-value" />
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="muted">No properties changed.</p>
      )}
    </div>
  );
}

export { tone as statusTone };
