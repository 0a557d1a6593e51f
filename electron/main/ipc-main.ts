import { ipcMain } from "electron";
import type { BrowserWindow, IpcMainEvent, IpcMainInvokeEvent } from "electron";
import { createDispatcher } from "../app/dispatcher";
import type { EngineService } from "../app/engine-port";
import { createEventGate, forwardEvents } from "../app/events";
import { createHandlers } from "../app/handlers";
import type { LoginItem } from "../app/handlers";
import { EVENT_CHANNEL, INVOKE_CHANNEL, READY_CHANNEL } from "./channels";
import { isAppUrl } from "./navigation";

/** Our renderer = the main frame of OUR window, showing the app's own page (not an iframe, not a page it navigated to). */
export function isOurRenderer(window: BrowserWindow, sender: unknown): boolean {
  const event = sender as Partial<IpcMainInvokeEvent> | null;
  if (!event || window.isDestroyed() || event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}

/**
 * Wires the contract onto Electron IPC: one invoke channel through the dispatcher, events queued until the renderer
 * says it is ready (again after every reload). Returns the function that unregisters everything.
 */
export function registerIpc(
  window: BrowserWindow,
  service: EngineService,
  onInternalError?: (method: string, error: unknown) => void,
  loginItem?: LoginItem,
): () => void {
  const dispatch = createDispatcher(createHandlers(service, loginItem), {
    isTrustedSender: (sender) => isOurRenderer(window, sender),
    ...(onInternalError ? { onInternalError } : {}),
  });
  const gate = createEventGate((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, { event, payload });
  });
  const stopEvents = forwardEvents(service, gate.sink);
  const onReady = (event: IpcMainEvent) => {
    if (isOurRenderer(window, event)) gate.ready();
  };
  const onLoading = () => gate.reset();

  ipcMain.handle(INVOKE_CHANNEL, (event, method: unknown, payload: unknown) => dispatch(method, payload, event));
  ipcMain.on(READY_CHANNEL, onReady);
  window.webContents.on("did-start-loading", onLoading);
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    ipcMain.removeListener(READY_CHANNEL, onReady);
    if (!window.isDestroyed()) window.webContents.removeListener("did-start-loading", onLoading);
    stopEvents();
  };
}
