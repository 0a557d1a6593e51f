import type { PreloadBridge } from "../../shared/ipc/contract";

/**
 * A stand-in for the parts of Electron the glue touches (ipcMain, ipcRenderer, contextBridge, a window), wired to each
 * other in memory so the real preload and ipc-main run together. Used through vi.mock("electron").
 */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

export function createElectronFake() {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const mainListeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const rendererListeners = new Map<string, Set<(event: unknown, message: unknown) => void>>();
  const mainFrame: FakeFrame = { url: "app://provisiondesk/index.html", parent: null };
  const webContents = {
    mainFrame,
    send: (channel: string, message: unknown) =>
      rendererListeners.get(channel)?.forEach((listener) => listener({}, message)),
    on: () => webContents,
    removeListener: () => webContents,
  };
  const window = { isDestroyed: () => false, webContents };
  /** Who the next renderer call claims to come from (default: our window's main frame). */
  const origin = { sender: webContents as unknown, senderFrame: mainFrame as FakeFrame | null };
  const exposed: { provisionDesk?: PreloadBridge } = {};
  const listenersOf = <T>(map: Map<string, Set<T>>, channel: string) =>
    map.get(channel) ?? map.set(channel, new Set()).get(channel)!;

  const electron = {
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
        void handlers.set(channel, handler),
      removeHandler: (channel: string) => void handlers.delete(channel),
      on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) =>
        void listenersOf(mainListeners, channel).add(listener),
      removeListener: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) =>
        void mainListeners.get(channel)?.delete(listener),
    },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        const handler = handlers.get(channel);
        if (!handler) throw new Error(`No handler registered for '${channel}'`);
        return handler({ sender: origin.sender, senderFrame: origin.senderFrame }, ...args);
      },
      send: (channel: string, ...args: unknown[]) =>
        mainListeners
          .get(channel)
          ?.forEach((listener) => listener({ sender: origin.sender, senderFrame: origin.senderFrame }, ...args)),
      on: (channel: string, listener: (event: unknown, message: unknown) => void) =>
        void listenersOf(rendererListeners, channel).add(listener),
      removeListener: (channel: string, listener: (event: unknown, message: unknown) => void) =>
        void rendererListeners.get(channel)?.delete(listener),
    },
    contextBridge: {
      exposeInMainWorld: (key: "provisionDesk", api: PreloadBridge) => void (exposed[key] = api),
    },
  };
  return { electron, window, origin, mainFrame, exposed, handlers };
}
