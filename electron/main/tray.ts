import { join } from "node:path";
import { Menu, Tray, nativeImage } from "electron";
import type { MenuItemConstructorOptions } from "electron";
import { outcomeLabel } from "../../shared/ipc/labels";
import type { AppStatus, Dashboard } from "../../shared/ipc/model";
import type { EngineService } from "../app/engine-port";

export const trayIconFile = (iconDir: string, status: AppStatus): string => join(iconDir, `tray-${status}.png`);

const time = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });

/** Status, then the last and the next cycle: what an admin hovering the icon wants to know. */
export function trayTooltip(dashboard: Dashboard): string {
  const profile = dashboard.profileName ? ` (${dashboard.profileName})` : "";
  const last = dashboard.lastCycle;
  return [
    `ProvisionDesk${profile}: ${dashboard.statusMessage}`,
    last ? `Last cycle: ${time(last.startedAt)}, ${outcomeLabel[last.outcome].toLowerCase()}` : "No cycle has run yet",
    dashboard.nextCycleAt ? `Next cycle: ${time(dashboard.nextCycleAt)}` : "Next cycle: not scheduled",
  ].join("\n");
}

export interface TrayActions {
  open(): void;
  provisionNow(): void;
  setPaused(paused: boolean): void;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
}

/** The tray menu for a state, as data (tested without Electron). */
export function trayMenuTemplate(
  dashboard: Dashboard,
  startAtLogin: boolean,
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  const paused = dashboard.status === "paused";
  return [
    { label: dashboard.statusMessage, enabled: false },
    { type: "separator" },
    { label: "Open ProvisionDesk", click: actions.open },
    { label: "Provision now", enabled: dashboard.status !== "syncing", click: actions.provisionNow },
    { label: paused ? "Resume schedule" : "Pause schedule", click: () => actions.setPaused(!paused) },
    { type: "separator" },
    {
      label: "Start at login",
      type: "checkbox",
      checked: startAtLogin,
      click: (item) => actions.setStartAtLogin(item.checked),
    },
    { type: "separator" },
    { label: "Quit ProvisionDesk", click: actions.quit },
  ];
}

/** The tray icon follows the app's state; returns the function that removes it. */
export function createAppTray(options: {
  iconDir: string;
  service: EngineService;
  open(): void;
  quit(): void;
  startAtLogin: { get(): boolean; set(enabled: boolean): void };
  onError(message: string, error: unknown): void;
}): () => void {
  const { service } = options;
  const tray = new Tray(nativeImage.createFromPath(trayIconFile(options.iconDir, "idle")));
  const actions: TrayActions = {
    open: options.open,
    provisionNow: () =>
      service
        .provisionNow({ dryRun: false, full: false, allowDeletes: false })
        .catch((e) => options.onError("Provision now failed", e)),
    setPaused: (paused) => {
      try {
        render(service.setPaused(paused));
      } catch (error) {
        options.onError("Changing the schedule failed", error);
      }
    },
    setStartAtLogin: (enabled) => {
      options.startAtLogin.set(enabled);
      render(service.dashboard());
    },
    quit: options.quit,
  };
  const render = (dashboard: Dashboard) => {
    tray.setImage(nativeImage.createFromPath(trayIconFile(options.iconDir, dashboard.status)));
    tray.setToolTip(trayTooltip(dashboard));
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(dashboard, options.startAtLogin.get(), actions)));
  };
  tray.on("click", options.open);
  render(service.dashboard());
  const unsubscribe = service.on("dashboard.changed", render);
  return () => {
    unsubscribe();
    tray.destroy();
  };
}
