import { Fragment, useEffect, useId, useState } from "react";
import type { LogEntry, LogFilters, LogPage } from "../../../shared/ipc/model";
import type { AppError } from "../../../shared/ipc/result";
import { ErrorNotice } from "../components/ErrorNotice";
import { ColumnHeads, Card, Empty, Loading, Pill, SectionHeader } from "../components/ui";
import { formatDateTime } from "../format";
import { useApp } from "../store";
import { LogEntryDetail, statusTone } from "./LogEntryDetail";

/** What the filter bar holds; "" means any. */
interface FilterForm {
  status: "" | LogEntry["status"];
  action: "" | LogEntry["action"];
  objectType: "" | LogEntry["objectType"];
  identity: string;
}
const NO_FILTERS: FilterForm = { status: "", action: "", objectType: "", identity: "" };

function toFilters(form: FilterForm): LogFilters {
  const identity = form.identity.trim();
  return {
    ...(form.status ? { status: [form.status] } : {}),
    ...(form.action ? { action: [form.action] } : {}),
    ...(form.objectType ? { objectType: [form.objectType] } : {}),
    ...(identity ? { identity } : {}),
  };
}

/** Asks the engine for one page of the filtered log (older than `cursor` when given). */
async function fetchPage(key: string, cursor?: number) {
  const filters = JSON.parse(key) as LogFilters;
  return useApp.getState().api!.invoke("log.list", { ...filters, limit: 200, ...(cursor ? { cursor } : {}) });
}

/** Filtered pages come from the engine (the whole log, not the rows in memory); "Load older" follows the cursor. */
function useFilteredLog(filters: LogFilters) {
  const key = JSON.stringify(filters);
  const active = key !== "{}";
  // Kept with the filters they answer, so a page of earlier filters is never shown for new ones.
  const [state, setState] = useState<{ key: string; page: LogPage | null; error: AppError | null } | null>(null);
  useEffect(() => {
    if (!active) return;
    // Typing in the search box asks once the admin pauses, not on every key.
    const timer = setTimeout(() => {
      void fetchPage(key).then((result) =>
        setState(result.ok ? { key, page: result.value, error: null } : { key, page: null, error: result.error }),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [key, active]);
  const current = state?.key === key ? state : null;
  const loadOlder = () => {
    const cursor = current?.page?.nextCursor;
    if (!cursor) return;
    void fetchPage(key, cursor).then((result) =>
      setState((previous) =>
        !result.ok
          ? { key, page: previous?.page ?? null, error: result.error }
          : {
              key,
              page: { ...result.value, entries: [...(previous?.page?.entries ?? []), ...result.value.entries] },
              error: null,
            },
      ),
    );
  };
  return { active, page: current?.page ?? null, error: current?.error ?? null, loadOlder };
}

/** Saves the export as a file: a download in browser mode, Electron's save dialog in the app. */
async function exportLog(filters: LogFilters, format: "csv" | "json"): Promise<AppError | null> {
  const result = await useApp.getState().api!.invoke("log.export", { filters, format });
  if (!result.ok) return result.error;
  const url = URL.createObjectURL(
    new Blob([result.value.content], { type: format === "csv" ? "text/csv" : "application/json" }),
  );
  const link = document.createElement("a");
  link.href = url;
  link.download = result.value.filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return null;
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
  const [form, setForm] = useState<FilterForm>(NO_FILTERS);
  const [exportError, setExportError] = useState<AppError | null>(null);
  const filters = toFilters(form);
  const filtered = useFilteredLog(filters);
  const set =
    <K extends keyof FilterForm>(key: K) =>
    (value: FilterForm[K]) =>
      setForm({ ...form, [key]: value });
  const page = filtered.active ? filtered.page : log.data;
  const entries = page?.entries ?? [];
  const select = <K extends "status" | "action" | "objectType">(key: K, label: string, options: FilterForm[K][]) => (
    <label>
      {label}
      <select value={form[key]} onChange={(event) => set(key)(event.target.value as FilterForm[K])}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o === "user" ? "User" : o === "group" ? "Group" : o === "cycle" ? "Cycle" : o}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      <SectionHeader
        title="Provisioning log"
        description="Every create, update, disable and delete sent to the target. New entries appear as they happen."
        actions={
          <>
            {(["csv", "json"] as const).map((format) => (
              <button
                key={format}
                type="button"
                data-testid={`log-export-${format}`}
                onClick={() => void exportLog(filters, format).then(setExportError)}
              >
                Export {format.toUpperCase()}
              </button>
            ))}
            <button type="button" onClick={() => void refresh("log")} disabled={log.loading}>
              Reload
            </button>
          </>
        }
      />
      {log.error && <ErrorNotice error={log.error} title="The log could not be read" />}
      {filtered.error && <ErrorNotice error={filtered.error} title="The log could not be searched" />}
      {exportError && <ErrorNotice error={exportError} title="The log could not be exported" />}
      <Card className="wide">
        <div className="toolbar" role="search">
          {select("status", "Status", ["Success", "Failure", "Warning", "Skipped"])}
          {select("action", "Action", ["Create", "Update", "Disable", "Delete", "StagedDelete", "Other"])}
          {select("objectType", "Type", ["user", "group", "cycle"])}
          <label>
            Search
            <input
              type="search"
              value={form.identity}
              placeholder="Name, UPN, email or ID (accents and case ignored)"
              onChange={(event) => set("identity")(event.target.value)}
            />
          </label>
          <span className="live" aria-live="polite">
            {filtered.active ? (
              page && `${page.total} matching`
            ) : (
              <>
                <span className="dot" aria-hidden="true" /> Live {freshLogIds.size > 0 && `· ${freshLogIds.size} new`}
              </>
            )}
          </span>
        </div>
        {!page ? (
          !filtered.error && <Loading what="the log" />
        ) : !entries.length ? (
          filtered.active ? (
            <Empty>No entry matches these filters.</Empty>
          ) : (
            <Empty>
              Nothing has been provisioned yet. Entries appear here as soon as a cycle changes something in the target.
            </Empty>
          )
        ) : (
          <table className="table log-table" data-testid="log-table">
            <ColumnHeads
              columns={[<span className="sr-only">Details</span>, "Time", "Type", "Name", "Action", "Status", "Notes"]}
            />
            <tbody>
              {entries.map((entry) => (
                <LogRow key={entry.id} entry={entry} fresh={!filtered.active && freshLogIds.has(entry.id)} />
              ))}
            </tbody>
          </table>
        )}
        {filtered.active && page?.nextCursor && (
          <button type="button" onClick={filtered.loadOlder}>
            Load older entries
          </button>
        )}
      </Card>
    </>
  );
}
