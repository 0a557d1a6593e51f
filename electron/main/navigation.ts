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

/** How long after a click or key press a window.open still counts as the admin's own doing. */
export const GESTURE_WINDOW_MS = 1000;
const GESTURES = new Set(["mouseDown", "mouseUp", "keyDown", "rawKeyDown", "gestureTap"]);

/**
 * The renderer never navigates and never opens windows. Navigation is refused outright, whatever the URL: the app is
 * one page, and a link that navigated would have been followed without the admin asking. A safe https link
 * (target=_blank) goes to the system browser only when a click or key press came just before, once per gesture,
 * so a script in the page cannot open links by itself.
 */
export function guardNavigation(
  contents: WebContents,
  openExternal: (url: string) => Promise<void>,
  now: () => number = Date.now,
): void {
  let gestureAt = Number.NEGATIVE_INFINITY;
  contents.on("input-event", (_event, input) => {
    if (GESTURES.has(input.type)) gestureAt = now();
  });
  contents.on("will-navigate", (event) => event.preventDefault());
  contents.on("will-frame-navigate", (event) => event.preventDefault());
  contents.on("will-redirect", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const byGesture = now() - gestureAt <= GESTURE_WINDOW_MS;
    if (byGesture && isSafeExternalUrl(url)) {
      gestureAt = Number.NEGATIVE_INFINITY;
      void openExternal(url);
    }
    return { action: "deny" };
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
}
