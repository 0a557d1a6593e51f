import type { PreloadBridge } from "../../../shared/ipc/contract";
import { createElectronApi } from "./bridge";
import { createWebSocketApi } from "./websocket";
import type { RendererApi } from "./websocket";

export type { ConnectionState, RendererApi } from "./websocket";

declare global {
  interface Window {
    provisionDesk?: PreloadBridge;
  }
}

const TOKEN_KEY = "provisionDesk.launchToken";

/** Must match TOKEN_META in electron/server/browser-server.ts (the renderer imports only shared/). */
const TOKEN_META = "provisiondesk-token";

/**
 * Browser mode's launch token arrives once in the URL; keep it for this tab (reloads) and take it out of the address
 * bar so it does not end up in history or screenshots. A tab opened later (by cookie) finds it in the page itself.
 * The WebSocket needs it: the server does not accept the cookie there, since pages on other ports send it too.
 */
function launchToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get("token");
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete("token");
    window.history.replaceState(null, "", url);
  }
  const fromPage = document.querySelector<HTMLMetaElement>(`meta[name="${TOKEN_META}"]`)?.content;
  return fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? fromPage ?? "";
}

/** Electron when the preload exposed its bridge, otherwise browser mode's WebSocket to the page's own server. */
export function createApi(): RendererApi {
  if (window.provisionDesk) return createElectronApi(window.provisionDesk);
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const url = `${scheme}://${window.location.host}/ipc?token=${encodeURIComponent(launchToken())}`;
  return createWebSocketApi({ url, connect: (target) => new WebSocket(target) });
}
