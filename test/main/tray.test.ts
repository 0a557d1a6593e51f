import { existsSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { AppStatusSchema } from "../../shared/ipc/model";
import { dashboard } from "../ipc/recording-service";

vi.mock("electron", () => ({ Menu: {}, Tray: class {}, nativeImage: {} }));
const { trayIconFile, trayMenuTemplate, trayTooltip } = await import("../../electron/main/tray");

const actions = () => ({
  open: vi.fn(),
  provisionNow: vi.fn(),
  setPaused: vi.fn(),
  setStartAtLogin: vi.fn(),
  quit: vi.fn(),
});
const click = (template: ReturnType<typeof trayMenuTemplate>, label: string, checked = false) => {
  const item = template.find((entry) => entry.label === label);
  if (!item?.click) throw new Error(`no menu item "${label}"`);
  (item.click as (item: { checked: boolean }) => void)({ checked });
};

describe("tray", () => {
  it("has an icon for every app state", () => {
    for (const status of AppStatusSchema.options)
      expect(existsSync(trayIconFile("build/icons", status)), status).toBe(true);
  });

  it("shows the status in the tooltip and wires the menu to the service actions", () => {
    const tooltip = trayTooltip(dashboard).split("\n");
    expect(tooltip[0]).toBe("ProvisionDesk (default): Up to date");
    expect(tooltip[1]).toMatch(/^Last cycle: .+, succeeded$/);
    expect(tooltip[2]).toMatch(/^Next cycle: \S/);
    expect(
      trayTooltip({ ...dashboard, lastCycle: null, nextCycleAt: null })
        .split("\n")
        .slice(1),
    ).toEqual(["No cycle has run yet", "Next cycle: not scheduled"]);
    const wired = actions();
    const template = trayMenuTemplate(dashboard, false, wired);
    click(template, "Provision now");
    click(template, "Pause schedule");
    click(template, "Start at login", true);
    click(template, "Open ProvisionDesk");
    click(template, "Quit ProvisionDesk");
    expect(wired.provisionNow).toHaveBeenCalledOnce();
    expect(wired.setPaused).toHaveBeenCalledWith(true);
    expect(wired.setStartAtLogin).toHaveBeenCalledWith(true);
    expect(wired.open).toHaveBeenCalledOnce();
    expect(wired.quit).toHaveBeenCalledOnce();
  });

  it("offers Resume when paused and no second cycle while one runs", () => {
    const paused = trayMenuTemplate({ ...dashboard, status: "paused" }, true, actions());
    expect(paused.some((item) => item.label === "Resume schedule")).toBe(true);
    expect(paused.find((item) => item.label === "Start at login")?.checked).toBe(true);
    const syncing = trayMenuTemplate({ ...dashboard, status: "syncing" }, false, actions());
    expect(syncing.find((item) => item.label === "Provision now")?.enabled).toBe(false);
  });
});
