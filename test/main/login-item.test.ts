import { describe, expect, it, vi } from "vitest";
import { createDispatcher } from "../../electron/app/dispatcher";
import { createHandlers } from "../../electron/app/handlers";
import { createRecordingService } from "../ipc/recording-service";
import type { createElectronFake } from "./electron-fake";

const fake = vi.hoisted(() => ({ current: null as unknown as ReturnType<typeof createElectronFake> }));
vi.mock("electron", async () => {
  const { createElectronFake: make } = await import("./electron-fake");
  fake.current = make();
  return fake.current.electron;
});

describe("app.loginItem (Start at login in Settings)", () => {
  it("in Electron reads and switches the OS login item through IPC, and the app then starts hidden in the tray", async () => {
    const { registerIpc } = await import("../../electron/main/ipc-main");
    const { loginItem } = await import("../../electron/main/login-item");
    await import("../../electron/main/preload");
    const { window, exposed, electron, loginItemSettings } = fake.current;
    const dispose = registerIpc(window as never, createRecordingService(), undefined, loginItem(electron.app as never));
    const bridge = exposed.provisionDesk!;

    expect(await bridge.invoke("app.loginItem", {})).toEqual({ ok: true, value: { supported: true, enabled: false } });
    expect(await bridge.invoke("app.loginItem", { enabled: true })).toEqual({
      ok: true,
      value: { supported: true, enabled: true },
    });
    expect(loginItemSettings).toEqual({ openAtLogin: true, openAsHidden: true, args: ["--hidden"] });
    expect(await bridge.invoke("app.loginItem", { enabled: false })).toMatchObject({ value: { enabled: false } });
    expect(loginItemSettings.openAtLogin).toBe(false);
    dispose();
  });

  it("in browser mode (no login item given) answers unsupported, so Settings hides the row, and sets nothing", async () => {
    const dispatch = createDispatcher(createHandlers(createRecordingService()), { isTrustedSender: () => true });
    expect(await dispatch("app.loginItem", { enabled: true }, {})).toEqual({
      ok: true,
      value: { supported: false, enabled: false },
    });
  });
});
