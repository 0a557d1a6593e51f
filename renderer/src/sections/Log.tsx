import { useEffect, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { create } from "zustand";
import type { LogEntry, LogFilters, LogPage } from "../../../shared/ipc/model";
import type { AppError } from "../../../shared/ipc/result";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Empty, Loading, Pill, SectionHeader } from "../components/ui";
import { formatDateTime, plural } from "../format";
import { useApp } from "../store";
import { saveFile } from "../util/save-file";
import { LogEntryDetail, statusTone } from "./LogEntryDetail";

/** What the filter bar holds; "" means any. Times are the datetime-local inputs' values (local time). */
interface FilterForm {
  status: "" | LogEntry["status"];
  action: "" | LogEntry["action"];
  objectType: "" | LogEntry["objectType"];
  identity: string;
  from: string;
  to: string;
  cycle: string;
}
const NO_FILTERS: FilterForm = { status: "", action: "", objectType: "", identity: "", from: "", to: "", cycle: "" };

/** The filter bar lives outside the section so the Dashboard can open the log on one cycle. */
const useLogFilters = create<{ form: FilterForm; setForm(form: FilterForm): void }>()((set) => ({
  form: NO_FILTERS,
  setForm: (form) => set({ form }),
}));

/** Opens the Log section filtered to one cycle (the Dashboard's recent cycles). */
export function openCycleLog(cycleId: number): void {
  useLogFilters.getState().setForm({ ...NO_FILTERS, cycle: String(cycleId) });
  useApp.getState().show("log");
}

const isoOf = (local: string) => {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

function toFilters(form: FilterForm): LogFilters {
  const identity = form.identity.trim();
  const from = form.from && isoOf(form.from);
  const to = form.to && isoOf(form.to);
  const cycleId = Number(form.cycle);
  return {
    ...(form.status ? { status: [form.status] } : {}),
    ...(form.action ? { action: [form.action] } : {}),
    ...(form.objectType ? { objectType: [form.objectType] } : {}),
    ...(identity ? { identity } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(Number.isInteger(cycleId) && cycleId > 0 ? { cycleId } : {}),
  };
}

/** Asks the engine for one page of the filtered log (older than `cursor` when given). */
async function fetchPage(filters: LogFilters, cursor?: number | null) {
  return useApp.getState().api!.invoke("log.list", { ...filters, limit: 200, ...(cursor ? { cursor } : {}) });
}

type Fetched = { key: string; page: LogPage | null; error: AppError | null };

/**
 * Filtered pages come from the engine (the whole log, not the rows in memory); without filters the live log in the
 * store is the first page. Older pages are appended as the list scrolls to its end.
 */
function useLogPages(filters: LogFilters) {
  const live = useApp((state) => state.log);
  const key = JSON.stringify(filters);
  const active = key !== "{}";
  const [fetched, setFetched] = useState<Fetched | null>(null);
  const [older, setOlder] = useState<Fetched | null>(null);
  const loading = useRef(false);
  useEffect(() => {
    if (!active) return;
    // Typing in the search box asks once the admin pauses, not on every key.
    const timer = setTimeout(() => {
      void fetchPage(JSON.parse(key) as LogFilters).then((result) =>
        setFetched(result.ok ? { key, page: result.value, error: null } : { key, page: null, error: result.error }),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [key, active]);
  // Kept with the filters they answer, so a page of earlier filters is never shown for new ones.
  const first = active ? (fetched?.key === key ? fetched.page : null) : live.data;
  const more = older?.key === key ? older.page : null;
  const seen = new Set(first?.entries.map((e) => e.id));
  const entries = [...(first?.entries ?? []), ...(more?.entries.filter((e) => !seen.has(e.id)) ?? [])];
  const nextCursor = more ? more.nextCursor : (first?.nextCursor ?? null);
  const loadOlder = () => {
    if (!nextCursor || loading.current) return;
    loading.current = true;
    void fetchPage(filters, nextCursor).then((result) => {
      loading.current = false;
      setOlder((previous) => {
        const kept = previous?.key === key ? (previous.page?.entries ?? []) : [];
        return result.ok
          ? { key, page: { ...result.value, entries: [...kept, ...result.value.entries] }, error: null }
          : { key, page: previous?.key === key ? previous.page : null, error: result.error };
      });
    });
  };
  return {
    active,
    page: first ? { entries, total: first.total, nextCursor } : null,
    error: (active && fetched?.key === key ? fetched.error : null) ?? (older?.key === key ? older.error : null),
    loadOlder,
  };
}

/** Saves the export as a file: a download in browser mode, Electron's save dialog in the app. */
async function exportLog(filters: LogFilters, format: "csv" | "json"): Promise<AppError | null> {
  const result = await useApp.getState().api!.invoke("log.export", { filters, format });
  if (!result.ok) return result.error;
  saveFile(result.value.filename, result.value.content);
  return null;
}

const typeLabel = (type: LogEntry["objectType"]) => (type === "user" ? "User" : type === "group" ? "Group" : "Cycle");

function notes(entry: LogEntry): string {
  if (entry.status === "Failure") return entry.errorCode ?? "";
  return entry.modified.length ? plural(entry.modified.length, "property", "properties") : "";
}

/** An estimate: rows are measured as they render (narrow windows wrap a row onto two lines). */
const ROW_HEIGHT = 41;

/**
 * The entries as one listbox: a single tab stop, arrow keys (and Home/End/Page keys) move between rows, Enter opens
 * the detail. Only the rows in view are in the page, so 100,000 entries scroll like 100.
 */
function LogList({
  entries,
  fresh,
  selected,
  onSelect,
  onNearEnd,
}: {
  entries: LogEntry[];
  fresh: ReadonlySet<number>;
  selected: number | null;
  onSelect(id: number): void;
  onNearEnd(): void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const focusPending = useRef(false);
  // eslint-disable-next-line react-hooks/incompatible-library -- the list re-renders with its virtualiser, unmemoized
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const current = Math.min(active, Math.max(entries.length - 1, 0));
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (entries.length && last >= entries.length - 20) onNearEnd();
  }, [last, entries.length, onNearEnd]);
  // After a key moved the active row, focus it once it is rendered.
  useEffect(() => {
    if (!focusPending.current) return;
    const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${current}"]`);
    if (row) {
      focusPending.current = false;
      row.focus();
    }
  });
  const move = (to: number) => {
    const index = Math.max(0, Math.min(entries.length - 1, to));
    focusPending.current = true;
    setActive(index);
    virtualizer.scrollToIndex(index, { align: "auto" });
  };
  const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
  const onKeyDown = (event: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(current + 1),
      ArrowUp: () => move(current - 1),
      PageDown: () => move(current + page),
      PageUp: () => move(current - page),
      Home: () => move(0),
      End: () => move(entries.length - 1),
      Enter: () => entries[current] && onSelect(entries[current].id),
      " ": () => entries[current] && onSelect(entries[current].id),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };
  return (
    <div className="log-list-frame">
      <div className="log-list-head" aria-hidden="true">
        <span>Time</span>
        <span>Type</span>
        <span>Name</span>
        <span>Action</span>
        <span>Status</span>
        <span>Notes</span>
      </div>
      <div
        ref={scroller}
        className="log-list"
        role="listbox"
        aria-label="Log entries"
        data-testid="log-table"
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {items.map((item) => {
            const entry = entries[item.index]!;
            return (
              <div
                key={entry.id}
                role="option"
                aria-selected={selected === entry.id}
                aria-setsize={entries.length}
                aria-posinset={item.index + 1}
                tabIndex={item.index === current ? 0 : -1}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className={`log-item${fresh.has(entry.id) ? " fresh" : ""}`}
                style={{ transform: `translateY(${item.start}px)` }}
                data-testid="log-row"
                data-status={entry.status}
                data-action={entry.action}
                data-object={entry.objectType}
                onClick={() => {
                  setActive(item.index);
                  onSelect(entry.id);
                }}
              >
                <span>{formatDateTime(entry.at)}</span>
                <span>{typeLabel(entry.objectType)}</span>
                <span className="log-name">{entry.displayName}</span>
                <span>{entry.action}</span>
                <span>
                  <Pill tone={statusTone(entry.status)}>{entry.status}</Pill>
                </span>
                <span className="muted">{notes(entry)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function FilterBar({ form, setForm, summary }: { form: FilterForm; setForm(form: FilterForm): void; summary: string }) {
  const set =
    <K extends keyof FilterForm>(key: K) =>
    (value: FilterForm[K]) =>
      setForm({ ...form, [key]: value });
  const select = <K extends "status" | "action" | "objectType">(key: K, label: string, options: FilterForm[K][]) => (
    <label>
      {label}
      <select value={form[key]} onChange={(event) => set(key)(event.target.value as FilterForm[K])}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o === "user" || o === "group" || o === "cycle" ? typeLabel(o) : o}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="toolbar" role="search" aria-label="Filter the log">
      {select("status", "Status", ["Success", "Failure", "Warning", "Skipped"])}
      {select("action", "Action", ["Create", "Update", "Disable", "Delete", "StagedDelete", "Other"])}
      {select("objectType", "Type", ["user", "group", "cycle"])}
      <label>
        From
        <input type="datetime-local" value={form.from} onChange={(event) => set("from")(event.target.value)} />
      </label>
      <label>
        To
        <input type="datetime-local" value={form.to} onChange={(event) => set("to")(event.target.value)} />
      </label>
      <label>
        Cycle
        <input
          type="number"
          min={1}
          inputMode="numeric"
          className="cycle-input"
          value={form.cycle}
          onChange={(event) => set("cycle")(event.target.value)}
        />
      </label>
      <label>
        Search
        <input
          type="search"
          value={form.identity}
          placeholder="Name, UPN, email or ID"
          onChange={(event) => set("identity")(event.target.value)}
        />
      </label>
      {JSON.stringify(form) !== JSON.stringify(NO_FILTERS) && (
        <button type="button" onClick={() => setForm(NO_FILTERS)}>
          Clear filters
        </button>
      )}
      <span className="live" aria-live="polite">
        {summary}
      </span>
    </div>
  );
}

export function Log() {
  const { log, freshLogIds, refresh } = useApp();
  const { form, setForm } = useLogFilters();
  const [exportError, setExportError] = useState<AppError | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const filters = toFilters(form);
  const { active, page, error, loadOlder } = useLogPages(filters);
  const entries = page?.entries ?? [];
  const entry = entries.find((e) => e.id === selected) ?? null;
  const detail = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (entry) detail.current?.focus();
  }, [entry?.id]); // eslint-disable-line react-hooks/exhaustive-deps -- focus on opening, not on live updates
  const close = () => {
    const row = document.querySelector<HTMLElement>(`[role="option"][aria-selected="true"]`);
    setSelected(null);
    row?.focus();
  };
  const summary = active
    ? page
      ? `${plural(page.total, "matching entry", "matching entries")}`
      : ""
    : `Live${freshLogIds.size ? ` · ${freshLogIds.size} new` : ""}`;
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
      {error && <ErrorNotice error={error} title="The log could not be searched" />}
      {exportError && <ErrorNotice error={exportError} title="The log could not be exported" />}
      <Card className="wide">
        <FilterBar form={form} setForm={setForm} summary={summary} />
        {!page ? (
          !error && <Loading what="the log" />
        ) : !entries.length ? (
          active ? (
            <Empty>No entry matches these filters.</Empty>
          ) : (
            <Empty>
              Nothing has been provisioned yet. Entries appear here as soon as a cycle changes something in the target.
            </Empty>
          )
        ) : (
          <div className={entry ? "log-split" : undefined}>
            <LogList
              entries={entries}
              fresh={active ? new Set() : freshLogIds}
              selected={selected}
              onSelect={setSelected}
              onNearEnd={loadOlder}
            />
            {entry && (
              <div
                ref={detail}
                tabIndex={-1}
                className="log-detail-panel"
                role="region"
                aria-label={`Details: ${entry.displayName}`}
                onKeyDown={(event) => event.key === "Escape" && close()}
              >
                <div className="detail-head">
                  <h2>{entry.displayName}</h2>
                  <button type="button" onClick={close}>
                    Close
                  </button>
                </div>
                <LogEntryDetail entry={entry} />
              </div>
            )}
          </div>
        )}
      </Card>
    </>
  );
}
