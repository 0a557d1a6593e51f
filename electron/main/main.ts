import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BrowserWindow, app, protocol, session, shell } from "electron";
import log from "electron-log/main";
import { resolveDataDir } from "../cli/data-dir";
import { createSystemSecretStore } from "../engine/secrets";
import { createEngineService } from "../engine/service";
import type { ProvisionDeskService } from "../engine/service";
import { serveRenderer } from "./app-protocol";
import { APP_SCHEME, APP_URL } from "./channels";
import { installCsp } from "./csp";
import { handleExports } from "./downloads";
import { registerIpc } from "./ipc-main";
import { loginItem } from "./login-item";
import { guardNavigation, isSafeExternalUrl } from "./navigation";
import { denyPermissions } from "./permissions";
import { notifyCycles } from "./notifications";
import { createAppTray } from "./tray";
import { mainWindowOptions } from "./window-options";

// Electron glue only: everything that decides anything lives in plain Node modules that are tested without Electron.
const here = fileURLToPath(new URL(".", import.meta.url)); // dist/electron/main
const rendererDir = join(here, "..", "..", "renderer");
const iconDir = app.isPackaged ? join(process.resourcesPath, "icons") : join(here, "..", "..", "..", "build", "icons");
const startHidden = process.argv.includes("--hidden");

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let window: BrowserWindow | null = null;
let quitting = false;
const cleanups: (() => void)[] = [];

const showWindow = () => {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
};

const openExternal = async (url: string) => {
  if (isSafeExternalUrl(url)) await shell.openExternal(url);
};

function createWindow(service: ProvisionDeskService): BrowserWindow {
  const win = new BrowserWindow(
    mainWindowOptions({
      preloadPath: join(here, "preload.cjs"),
      isProduction: app.isPackaged,
      iconPath: join(iconDir, "app.png"),
    }),
  );
  cleanups.push(registerIpc(win, service, (method, error) => log.error(`IPC ${method} failed`, error), loginItem(app)));
  // Closing the window keeps provisioning on schedule from the tray; Quit in the tray menu really quits.
  win.on("close", (event) => {
    if (quitting) return;
    event.preventDefault();
    win.hide();
  });
  win.once("ready-to-show", () => {
    if (!startHidden) win.show();
  });
  void win.loadURL(APP_URL);
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  installCsp(session.defaultSession);
  denyPermissions(session.defaultSession);
  cleanups.push(handleExports(session.defaultSession, () => app.getPath("downloads")));
  serveRenderer(protocol, rendererDir);
  // The same folder as the CLI's (userData by default), so a scheduled CLI and the app share one state.
  const { dir: dataDir, notice } = resolveDataDir(process.env);
  if (notice) log.info(notice);
  const service = createEngineService({
    dataDir,
    secrets: createSystemSecretStore(),
    ...(process.env.PROVISIONDESK_PROFILE ? { profileName: process.env.PROVISIONDESK_PROFILE } : {}),
    logger: { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m, d) => log.error(m, d ?? "") },
    owner: "the ProvisionDesk app",
  });
  window = createWindow(service);
  cleanups.push(
    createAppTray({
      iconDir,
      service,
      open: showWindow,
      quit: () => app.quit(),
      startAtLogin: loginItem(app),
      onError: (message, error) => log.error(message, error),
    }),
  );
  cleanups.push(notifyCycles(service, showWindow));
  app.on("before-quit", () => {
    quitting = true;
  });
  app.on("will-quit", (event) => {
    if (!cleanups.length) return;
    event.preventDefault();
    cleanups.splice(0).forEach((cleanup) => cleanup());
    void service.close().finally(() => app.exit(0));
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  log.initialize();
  app.on("second-instance", showWindow);
  app.on("activate", showWindow);
  // Every web contents, now or later, is kept from navigating away or opening windows.
  app.on("web-contents-created", (_event, contents) => guardNavigation(contents, openExternal));
  // With close-to-tray the app keeps running without windows, on every platform.
  app.on("window-all-closed", () => undefined);
  start().catch((error: unknown) => {
    log.error("ProvisionDesk could not start", error);
    app.exit(1);
  });
}
