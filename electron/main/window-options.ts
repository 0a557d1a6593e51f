import type { BrowserWindowConstructorOptions } from "electron";

/**
 * The main window's options, as a pure function so the security settings are pinned by a test:
 * the renderer gets no Node, runs sandboxed and isolated from the preload, and has no devtools in production.
 */
export function mainWindowOptions(options: {
  preloadPath: string;
  isProduction: boolean;
  iconPath?: string;
}): BrowserWindowConstructorOptions {
  return {
    width: 1180,
    height: 800,
    minWidth: 860,
    minHeight: 560,
    title: "ProvisionDesk",
    show: false,
    backgroundColor: "#f4f6f9",
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !options.isProduction,
    },
  };
}
