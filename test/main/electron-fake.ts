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

  /** What the OS keeps for start at login, as app.setLoginItemSettings last set it. */
  const loginItemSettings = { openAtLogin: false, openAsHidden: false, args: [] as string[] };
  const electron = {
    app: {
      getLoginItemSettings: () => ({ ...loginItemSettings }),
      setLoginItemSettings: (settings: Partial<typeof loginItemSettings>) =>
        void Object.assign(loginItemSettings, settings),
    },
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
  return { electron, window, origin, mainFrame, exposed, handlers, loginItemSettings };
}

/**
 * A web contents that records what the guards install: event listeners (fired with `emit`) and the window-open
 * handler, so a test can play "the page tried to navigate" or "the admin clicked a link" without Electron.
 */
export function createWebContentsFake() {
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  let openHandler: ((details: { url: string; disposition: string }) => { action: string }) | undefined;
  const contents = {
    on(event: string, listener: (...args: unknown[]) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: typeof openHandler) {
      openHandler = handler;
    },
  };
  /** Fires `event`; resolves to true when a listener called preventDefault(). */
  const emit = (event: string, ...args: unknown[]): boolean => {
    let prevented = false;
    const domEvent = { preventDefault: () => void (prevented = true) };
    (listeners.get(event) ?? []).forEach((listener) => listener(domEvent, ...args));
    return prevented;
  };
  const windowOpen = (url: string, disposition = "foreground-tab") => {
    if (!openHandler) throw new Error("no window-open handler installed");
    return openHandler({ url, disposition });
  };
  return { contents, emit, windowOpen, listenerCount: (event: string) => listeners.get(event)?.length ?? 0 };
}

/** A session that records the permission handlers installed on it. */
export function createSessionFake() {
  const installed: {
    request?: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
    check?: (contents: unknown, permission: string, origin: string, details: unknown) => boolean;
    device?: (details: unknown) => boolean;
  } = {};
  const session = {
    setPermissionRequestHandler: (handler: typeof installed.request) => void (installed.request = handler),
    setPermissionCheckHandler: (handler: typeof installed.check) => void (installed.check = handler),
    setDevicePermissionHandler: (handler: typeof installed.device) => void (installed.device = handler),
  };
  return { session, installed };
}
