import type { PreloadBridge } from "../../../shared/ipc/contract";
import type { RendererApi } from "./websocket";

/** In Electron the preload's bridge is the transport; the IPC link cannot drop while the window lives. */
export function createElectronApi(bridge: PreloadBridge): RendererApi {
  return {
    invoke: (method, request) => bridge.invoke(method, request),
    on: (event, listener) => bridge.on(event, listener),
    ready: () => bridge.ready(),
    onConnection: (listener) => {
      listener("open");
      return () => undefined;
    },
    close: () => undefined,
  };
}
