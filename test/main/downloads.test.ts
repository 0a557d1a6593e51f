import type { DownloadItem, Event, SaveDialogOptions, Session } from "electron";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportDialogOptions, handleExports, isAppExport } from "../../electron/main/downloads";

const downloads = join("/home", "admin", "Downloads");

/** A session that keeps its will-download listeners, and a download item that records the dialog it was given. */
function sessionFake() {
  const listeners = new Set<(event: Event, item: DownloadItem) => void>();
  const session = {
    on: (name: string, listener: (event: Event, item: DownloadItem) => void) => {
      expect(name).toBe("will-download");
      listeners.add(listener);
    },
    removeListener: (_name: string, listener: (event: Event, item: DownloadItem) => void) => listeners.delete(listener),
  };
  const download = (url: string, filename: string) => {
    const seen: { dialog?: SaveDialogOptions; prevented: boolean } = { prevented: false };
    const item = {
      getURL: () => url,
      getFilename: () => filename,
      setSaveDialogOptions: (o: SaveDialogOptions) => (seen.dialog = o),
    };
    const event = { preventDefault: () => (seen.prevented = true) };
    for (const listener of listeners) listener(event as unknown as Event, item as unknown as DownloadItem);
    return seen;
  };
  return { session: session as unknown as Session, download, listeners };
}

describe("exports saved through a save dialog", () => {
  it("offers the app's file name in Downloads, with the filter of its type first", () => {
    expect(exportDialogOptions("provisiondesk-log-cycle-12.csv", downloads)).toEqual({
      title: "Save the export",
      defaultPath: join(downloads, "provisiondesk-log-cycle-12.csv"),
      filters: [
        { name: "CSV (comma-separated values)", extensions: ["csv"] },
        { name: "All files", extensions: ["*"] },
      ],
    });
    expect(exportDialogOptions("log.JSON", downloads).filters?.[0]).toEqual({ name: "JSON", extensions: ["json"] });
    expect(exportDialogOptions("notes", downloads).filters).toEqual([{ name: "All files", extensions: ["*"] }]);
  });

  it("keeps a name with path parts inside the Downloads folder", () => {
    expect(exportDialogOptions("../../.ssh/authorized_keys", downloads).defaultPath).toBe(
      join(downloads, "authorized_keys"),
    );
    expect(exportDialogOptions("..\\..\\evil.csv", downloads).defaultPath).toBe(join(downloads, "evil.csv"));
    expect(exportDialogOptions("  ", downloads).defaultPath).toBe(join(downloads, "provisiondesk-export"));
  });

  it("only saves files the window made itself", () => {
    expect(isAppExport("blob:app://provisiondesk/3f1c0c6e-6a4b-4a43-9a39-0c1d2f9d8e11")).toBe(true);
    expect(isAppExport("blob:https://evil.example/3f1c")).toBe(false);
    expect(isAppExport("https://evil.example/payload.exe")).toBe(false);
    expect(isAppExport("blob:app://provisiondesk.evil/1")).toBe(false);
  });

  it("gives each app export a save dialog, cancels anything else, and removes its handler on quit", () => {
    const fake = sessionFake();
    const remove = handleExports(fake.session, () => downloads);
    const exported = fake.download("blob:app://provisiondesk/1b2c", "provisiondesk-plan-4.csv");
    expect(exported.prevented).toBe(false);
    expect(exported.dialog?.defaultPath).toBe(join(downloads, "provisiondesk-plan-4.csv"));
    const remote = fake.download("https://evil.example/payload.exe", "payload.exe");
    expect(remote).toEqual({ prevented: true });
    remove();
    expect(fake.listeners.size).toBe(0);
  });
});
