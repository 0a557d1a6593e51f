import type { Session } from "electron";
import { buildCsp } from "../app/csp";

/** Electron's CSP: the shared strict policy, no WebSocket (IPC goes through the preload). */
export const ELECTRON_CSP = buildCsp();

/** Adds the policy to every response the window's session receives, whatever served it. */
export function installCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, "Content-Security-Policy": [ELECTRON_CSP] } });
  });
}
