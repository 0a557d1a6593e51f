export { startBrowserServer } from "./browser-server";
export type { BrowserServer, BrowserServerOptions } from "./browser-server";
