import type { Database } from "better-sqlite3";
import type { LogExport, LogExportFormat, LogFilters, LogPage } from "../../../shared/ipc/model";
import { eachLogEntry, logEntriesPage } from "../db";
import { exportChunks, exportFilename } from "./export";

/** A page of the profile's log; an empty page before any profile exists. */
export function logPage(
  db: Database,
  profile: string | null,
  query: LogFilters & { cursor?: number; limit: number },
): LogPage {
  return profile ? logEntriesPage(db, profile, query) : { entries: [], nextCursor: null, total: 0 };
}

/** Every matching entry (newest first) as one file, or the newest `limit` of them. */
export function exportLog(
  db: Database,
  profile: string | null,
  filters: LogFilters,
  format: LogExportFormat,
  now: Date,
  limit?: number,
): LogExport {
  let count = 0;
  const entries = profile ? eachLogEntry(db, profile, filters, limit) : [];
  const counted = (function* () {
    for (const entry of entries) {
      count++;
      yield entry;
    }
  })();
  const content = [...exportChunks(counted, format)].join("");
  return { filename: exportFilename(format, now, filters.cycleId), content, count };
}
