import type { LogEntry, LogExportFormat } from "../../../shared/ipc/model";

/**
 * Exports in the layout of Entra's provisioning-log download. JSON: one object per entry shaped like Graph's
 * provisioningObjectSummary. CSV: Entra's three tables (summary, provisioning steps, modified properties) in one
 * file, each row tagged with its Record type and joined by Change Id.
 */

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const changeId = (entry: LogEntry) => `${entry.cycleId}-${entry.id}`;
const stepNames: Record<string, string> = {
  Import: "Import",
  "Determine scope": "Scoping",
  Match: "Matching",
  Evaluate: "Processing",
  Provision: "Export",
};

/** One entry as Graph's provisioningObjectSummary names it (identity types and the service principal aside). */
export function entraSummary(entry: LogEntry) {
  const identityType = entry.objectType === "cycle" ? "Cycle" : entry.objectType === "user" ? "User" : "Group";
  return {
    id: String(entry.id),
    changeId: changeId(entry),
    cycleId: String(entry.cycleId),
    activityDateTime: entry.at,
    provisioningAction: lowerFirst(entry.action),
    provisioningStatusInfo: {
      status: lowerFirst(entry.status),
      errorInformation:
        entry.errorCode || entry.message
          ? { errorCode: entry.errorCode, reason: entry.message, recommendedAction: entry.recommendation }
          : null,
    },
    sourceIdentity: { id: entry.sourceId, displayName: entry.displayName, identityType },
    targetIdentity: { id: entry.targetId, displayName: entry.displayName, identityType },
    provisioningSteps: entry.steps.map((step) => ({
      name: step.name,
      provisioningStepType: stepNames[step.name] ?? "Processing",
      status: lowerFirst(step.status),
      description: step.detail,
    })),
    modifiedProperties: entry.modified.map((m) => ({
      displayName: m.attribute,
      oldValue: textOf(m.old),
      newValue: textOf(m.new),
    })),
    requestIds: entry.requestIds,
  };
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

export const CSV_HEADER = [
  "Record",
  "Change Id",
  "Date",
  "Cycle Id",
  "Action",
  "Status",
  "Identity Type",
  "Display Name",
  "Source Id",
  "Target Id",
  "Error Code",
  "Status Reason",
  "Recommended Action",
  "Request Ids",
  "Step",
  "Step Status",
  "Step Description",
  "Property",
  "Old Value",
  "New Value",
] as const;
type Column = (typeof CSV_HEADER)[number];

function csvCell(value: string | null | undefined): string {
  let text = value ?? "";
  // A leading = + - @ would run as a formula when the file is opened in a spreadsheet.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvRow = (cells: Partial<Record<Column, string | null>>) =>
  `${CSV_HEADER.map((column) => csvCell(cells[column])).join(",")}\r\n`;

/** The CSV rows of one entry: its summary, then a row per step and per modified property. */
export function csvRows(entry: LogEntry): string {
  const s = entraSummary(entry);
  const key = { "Change Id": s.changeId };
  let out = csvRow({
    Record: "Summary",
    ...key,
    Date: entry.at,
    "Cycle Id": s.cycleId,
    Action: entry.action,
    Status: entry.status,
    "Identity Type": s.sourceIdentity.identityType,
    "Display Name": entry.displayName,
    "Source Id": entry.sourceId,
    "Target Id": entry.targetId,
    "Error Code": entry.errorCode,
    "Status Reason": entry.message,
    "Recommended Action": entry.recommendation,
    "Request Ids": entry.requestIds.join("; "),
  });
  for (const step of entry.steps)
    out += csvRow({
      Record: "Step",
      ...key,
      Step: step.name,
      "Step Status": step.status,
      "Step Description": step.detail,
    });
  for (const m of s.modifiedProperties)
    out += csvRow({
      Record: "ModifiedProperty",
      ...key,
      Property: m.displayName,
      "Old Value": m.oldValue,
      "New Value": m.newValue,
    });
  return out;
}

/** The export as chunks of text (the CLI writes them as they come; the window joins them into one file). */
export function* exportChunks(entries: Iterable<LogEntry>, format: LogExportFormat): Generator<string> {
  if (format === "csv") {
    yield csvRow(Object.fromEntries(CSV_HEADER.map((c) => [c, c])));
    for (const entry of entries) yield csvRows(entry);
    return;
  }
  let first = true;
  yield "[";
  for (const entry of entries) {
    yield `${first ? "\n" : ",\n"}${JSON.stringify(entraSummary(entry))}`;
    first = false;
  }
  yield first ? "]\n" : "\n]\n";
}

export function exportFilename(format: LogExportFormat, now: Date, cycleId?: number): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return `provisioning-log${cycleId === undefined ? "" : `-cycle-${cycleId}`}-${stamp}.${format}`;
}
