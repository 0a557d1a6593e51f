import { Fragment, useId, useState } from "react";
import type { LogEntry } from "../../../shared/ipc/model";
import { ErrorNotice } from "../components/ErrorNotice";
import { ColumnHeads, Card, Empty, Loading, Pill, SectionHeader } from "../components/ui";
import { formatDateTime } from "../format";
import { useApp } from "../store";
import { LogEntryDetail, statusTone } from "./LogEntryDetail";

type StatusFilter = "all" | LogEntry["status"];

function matches(entry: LogEntry, status: StatusFilter, text: string): boolean {
  if (status !== "all" && entry.status !== status) return false;
  const needle = text.trim().toLowerCase();
  return (
    !needle ||
    [entry.displayName, entry.sourceId, entry.targetId ?? "", entry.errorCode ?? ""].some((v) =>
      v.toLowerCase().includes(needle),
    )
  );
}

function LogRow({ entry, fresh }: { entry: LogEntry; fresh: boolean }) {
  const [open, setOpen] = useState(false);
  const detailId = useId();
  return (
    <Fragment>
      <tr
        className={fresh ? "fresh" : undefined}
        data-testid="log-row"
        data-status={entry.status}
        data-action={entry.action}
        data-object={entry.objectType}
      >
        <td>
          <button
            type="button"
            className="expander"
            aria-expanded={open}
            aria-controls={detailId}
            aria-label={`${open ? "Hide" : "Show"} details for ${entry.displayName}`}
            onClick={() => setOpen(!open)}
          >
            {open ? "▾" : "▸"}
          </button>
        </td>
        <td>{formatDateTime(entry.at)}</td>
        <td>{entry.objectType === "user" ? "User" : entry.objectType === "group" ? "Group" : "Cycle"}</td>
        <td className="log-name">{entry.displayName}</td>
        <td>{entry.action}</td>
        <td>
          <Pill tone={statusTone(entry.status)}>{entry.status}</Pill>
        </td>
        <td className="muted">
          {entry.status === "Failure"
            ? entry.errorCode
            : entry.modified.length
              ? `${entry.modified.length} properties`
              : ""}
        </td>
      </tr>
      {open && (
        <tr id={detailId} className="detail-row">
          <td colSpan={7}>
            <LogEntryDetail entry={entry} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}

export function Log() {
  const { log, freshLogIds, refresh } = useApp();
  const [status, setStatus] = useState<StatusFilter>("all");
  const [text, setText] = useState("");
  const entries = (log.data?.entries ?? []).filter((entry) => matches(entry, status, text));
  return (
    <>
      <SectionHeader
        title="Provisioning log"
        description="Every create, update, disable and delete sent to the target. New entries appear as they happen."
        actions={
          <button type="button" onClick={() => void refresh("log")} disabled={log.loading}>
            Reload
          </button>
        }
      />
      {log.error && <ErrorNotice error={log.error} title="The log could not be read" />}
      <Card className="wide">
        <div className="toolbar" role="search">
          <label>
            Status
            <select value={status} onChange={(event) => setStatus(event.target.value as StatusFilter)}>
              <option value="all">All</option>
              <option value="Success">Success</option>
              <option value="Failure">Failure</option>
              <option value="Warning">Warning</option>
              <option value="Skipped">Skipped</option>
            </select>
          </label>
          <label>
            Search
            <input
              type="search"
              value={text}
              placeholder="Name, object ID or error code"
              onChange={(event) => setText(event.target.value)}
            />
          </label>
          <span className="live" aria-live="polite">
            <span className="dot" aria-hidden="true" /> Live {freshLogIds.size > 0 && `· ${freshLogIds.size} new`}
          </span>
        </div>
        {!log.data ? (
          <Loading what="the log" />
        ) : !log.data.entries.length ? (
          <Empty>
            Nothing has been provisioned yet. Entries appear here as soon as a cycle changes something in the target.
          </Empty>
        ) : !entries.length ? (
          <Empty>No entry matches these filters.</Empty>
        ) : (
          <table className="table log-table" data-testid="log-table">
            <ColumnHeads
              columns={[<span className="sr-only">Details</span>, "Time", "Type", "Name", "Action", "Status", "Notes"]}
            />
            <tbody>
              {entries.map((entry) => (
                <LogRow key={entry.id} entry={entry} fresh={freshLogIds.has(entry.id)} />
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
