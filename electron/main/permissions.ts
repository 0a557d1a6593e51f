import type { Session } from "electron";

/**
 * The renderer needs no camera, notifications, geolocation, clipboard, USB, HID or serial device: every request
 * (asks the user) and every check (answers "granted?" synchronously, e.g. for navigator.permissions.query) is denied.
 */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
