import { contextBridge, ipcRenderer } from "electron";
import type { IpcRendererEvent } from "electron";
import type { PreloadBridge } from "../../shared/ipc/contract";
import { EVENT_CHANNEL, INVOKE_CHANNEL, READY_CHANNEL } from "./channels";

/**
 * The renderer's only door to main: named functions over fixed channels. No raw ipcRenderer, no sendSync, no Node.
 * Main checks and parses everything that comes through, so this stays a thin pass-through.
 */
const bridge: PreloadBridge = {
  invoke: (method, request) => ipcRenderer.invoke(INVOKE_CHANNEL, method, request),
  on(event, listener) {
    const handler = (_event: IpcRendererEvent, message: { event: string; payload: unknown }) => {
      if (message.event === event) listener(message.payload as never);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
  ready: () => ipcRenderer.send(READY_CHANNEL),
};

contextBridge.exposeInMainWorld("provisionDesk", bridge);
