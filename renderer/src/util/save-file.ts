/** The type a saved export is written as, from its file name (the engine names CSV and JSON exports). */
const typeOf = (filename: string) => (/\.json$/i.test(filename) ? "application/json" : "text/csv");

/**
 * Saves text the engine exported (log, plan) as a file: a download in browser mode; in the app, the main process turns
 * the same download into a save dialog (electron/main/downloads.ts).
 */
export function saveFile(filename: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: typeOf(filename) }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  // The download has started by now; the URL is kept a while for browsers that read it late.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
