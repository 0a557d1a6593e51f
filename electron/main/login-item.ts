import type { App } from "electron";
import type { LoginItem } from "../app/handlers";

/** Start at login, shared by the tray menu and Settings: the app then starts hidden in the tray. */
export function loginItem(app: Pick<App, "getLoginItemSettings" | "setLoginItemSettings">): LoginItem {
  return {
    get: () => app.getLoginItemSettings().openAtLogin,
    set: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true, args: ["--hidden"] }),
  };
}
