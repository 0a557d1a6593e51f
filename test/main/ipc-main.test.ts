import { describe, expect, it, vi } from "vitest";
import { createElectronApi } from "../../renderer/src/api/bridge";
import { contractSuite } from "../ipc/contract-suite";
import { createRecordingService } from "../ipc/recording-service";
import type { createElectronFake } from "./electron-fake";

const fake = vi.hoisted(() => ({ current: null as unknown as ReturnType<typeof createElectronFake> }));
vi.mock("electron", async () => {
  const { createElectronFake: make } = await import("./electron-fake");
  fake.current = make();
  return fake.current.electron;
});

async function wire() {
  const { registerIpc } = await import("../../electron/main/ipc-main");
  await import("../../electron/main/preload");
  const { window, exposed, origin, mainFrame } = fake.current;
  origin.sender = window.webContents;
  origin.senderFrame = mainFrame;
  const service = createRecordingService();
  const dispose = registerIpc(window as never, service);
  const bridge = exposed.provisionDesk;
  if (!bridge) throw new Error("the preload did not expose provisionDesk");
  return { service, dispose, bridge, origin, window };
}

/** The real preload and ipc-main, joined by a fake Electron: the same contract suite as the other transports. */
contractSuite("Electron IPC (preload + ipc-main, Electron mocked)", async () => {
  const { service, dispose, bridge, origin } = await wire();
  const api = createElectronApi(bridge);
  api.ready();
  return {
    api,
    service,
    untrustedAttempt: async () => {
      origin.senderFrame = { url: "https://evil.example/", parent: null };
      const result = await bridge.invoke("sync.provisionNow", {});
      return result.ok ? "accepted" : result.error.code;
    },
    close: async () => dispose(),
  };
});

describe("ipc-main sender check", () => {
  it("refuses calls from an iframe, another web contents, or a page the window navigated to, and the engine never runs", async () => {
    const { service, dispose, bridge, origin, window } = await wire();
    const attempts = [
      {
        sender: window.webContents,
        senderFrame: { url: "app://provisiondesk/index.html", parent: fake.current.mainFrame },
      },
      { sender: { other: true }, senderFrame: fake.current.mainFrame },
      { sender: window.webContents, senderFrame: { url: "file:///etc/passwd", parent: null } },
      { sender: window.webContents, senderFrame: null },
    ];
    for (const attempt of attempts) {
      Object.assign(origin, attempt);
      expect(await bridge.invoke("sync.setPaused", { paused: true })).toMatchObject({
        ok: false,
        error: { code: "UNAUTHORIZED_SENDER" },
      });
    }
    expect(service.calls).toEqual([]);
    Object.assign(origin, { sender: window.webContents, senderFrame: fake.current.mainFrame });
    expect(await bridge.invoke("sync.setPaused", { paused: true })).toMatchObject({
      ok: true,
      value: { status: "paused" },
    });
    dispose();
  });

  it("holds events until the renderer says it is ready", async () => {
    const { service, dispose, bridge } = await wire();
    const received: string[] = [];
    bridge.on("dashboard.changed", (dashboard) => received.push(dashboard.statusMessage));
    service.emit("dashboard.changed", { ...service.dashboard(), statusMessage: "early" });
    expect(received).toEqual([]);
    bridge.ready();
    expect(received).toEqual(["early"]);
    dispose();
  });
});
