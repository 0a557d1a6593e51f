import { basename, join } from "node:path";
import type { DownloadItem, Event, FileFilter, SaveDialogOptions, Session } from "electron";
import { APP_ORIGIN } from "./channels";

/** What the window saves, by extension: the log export (CSV, JSON) and the plan export (CSV). */
const FILTERS: Record<string, FileFilter> = {
  csv: { name: "CSV (comma-separated values)", extensions: ["csv"] },
  json: { name: "JSON", extensions: ["json"] },
};

/** Only files the window made itself (a blob: URL of the app's own origin); never something from the network. */
export const isAppExport = (url: string): boolean => url.startsWith(`blob:${APP_ORIGIN}/`);

/**
 * The save dialog for an export: the file name the app chose (path parts dropped), in the Downloads folder, with a
 * filter for its type first so the extension stays right.
 */
export function exportDialogOptions(filename: string, folder: string): SaveDialogOptions {
  const name = basename(filename.replaceAll("\\", "/")).trim() || "provisiondesk-export";
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  const filter = extension ? FILTERS[extension] : undefined;
  return {
    title: "Save the export",
    defaultPath: join(folder, name),
    filters: [...(filter ? [filter] : []), { name: "All files", extensions: ["*"] }],
  };
}

/**
 * Log and plan exports start as a download in the renderer (`<a download>` of a blob); in the app each opens a save
 * dialog instead of landing silently in Downloads. Returns the function that removes the handler.
 */
export function handleExports(session: Session, downloadsFolder: () => string): () => void {
  const onDownload = (event: Event, item: DownloadItem) => {
    if (!isAppExport(item.getURL())) {
      event.preventDefault();
      return;
    }
    item.setSaveDialogOptions(exportDialogOptions(item.getFilename(), downloadsFolder()));
  };
  session.on("will-download", onDownload);
  return () => void session.removeListener("will-download", onDownload);
}
