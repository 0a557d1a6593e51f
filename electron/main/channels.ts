/** The only IPC channels between the preload and main: one for calls, one for events, one for "listeners ready". */
export const INVOKE_CHANNEL = "pd:invoke";
export const EVENT_CHANNEL = "pd:event";
export const READY_CHANNEL = "pd:ready";

/** The renderer is served from this privileged scheme (not file://), so its origin is fixed and checkable. */
export const APP_SCHEME = "app";
export const APP_HOST = "provisiondesk";
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;
