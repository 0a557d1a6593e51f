import type { WebContents } from "electron";
import { APP_HOST, APP_SCHEME } from "./channels";

/** True for pages of the app itself (app://provisiondesk/…), never for anything else. */
export function isAppUrl(url: string): boolean {
  try {
    // Compared by parts: Node's URL gives custom schemes an opaque "null" origin.
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Links the app may hand to the system browser: https only (no file:, javascript:, custom protocol handlers that
 * could launch programs), no embedded credentials, a real host name.
 */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === "https:" && parsed.username === "" && parsed.password === "" && parsed.hostname.length > 0;
}

/** The renderer never navigates and never opens windows; safe https links open in the system browser instead. */
export function guardNavigation(contents: WebContents, openExternal: (url: string) => Promise<void>): void {
  contents.on("will-navigate", (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isSafeExternalUrl(url)) void openExternal(url);
  });
  contents.on("will-redirect", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void openExternal(url);
    return { action: "deny" };
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
}
