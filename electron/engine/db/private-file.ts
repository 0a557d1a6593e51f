import { chmodSync, closeSync, openSync } from "node:fs";

/** Creates `file` readable by this user only (0600) if it is missing, and makes it 0600 if it is not. */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, "a", 0o600));
  chmodSync(file, 0o600);
}
