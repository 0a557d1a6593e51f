import { redactUrl } from "../../../shared/config/urls";
import type { JsonValue, ProfileChange } from "../../../shared/ipc/model";
import { jsonPath } from "./profile-io";

const isObject = (value: JsonValue | undefined): value is { [key: string]: JsonValue } =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The settings that differ between two profiles, as JSON paths with both values (null where one side has none):
 * what a save based on an old revision would overwrite. Objects and arrays are compared element by element.
 */
export function profileChanges(stored: unknown, submitted: unknown): ProfileChange[] {
  const changes: ProfileChange[] = [];
  const walk = (a: JsonValue | undefined, b: JsonValue | undefined, path: string[]) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if ((isObject(a) && isObject(b)) || (Array.isArray(a) && Array.isArray(b))) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const key of keys)
        walk((a as Record<string, JsonValue>)[key], (b as Record<string, JsonValue>)[key], [...path, key]);
      return;
    }
    // A profile stored by an older version may hold a URL with a password in it: never shown.
    const shown = (value: JsonValue | undefined) => (typeof value === "string" ? redactUrl(value) : (value ?? null));
    changes.push({ path: jsonPath(path), stored: shown(a), submitted: shown(b) });
  };
  // A JSON round trip turns both into plain JSON values (no undefined, no class instances).
  const plain = (value: unknown): JsonValue =>
    value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
  walk(plain(stored), plain(submitted), []);
  return changes;
}
