/** JSON paths into the profile being edited, in the engine's spelling: `rules.users.mappings.2.expression`. */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The engine writes paths as `target.tenantUrl`, some answers as `$.rules.users.scopingFilters[0].value`: one form. */
export function normalizePath(path: string): string {
  return path
    .replace(/^\$\.?/, "")
    .replace(/\[(\d+)\]/g, ".$1")
    .replace(/^\./, "");
}

const keysOf = (path: string) => (path === "" ? [] : path.split("."));

export function getIn(value: unknown, path: string): unknown {
  let node = value;
  for (const key of keysOf(path)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A copy of `root` with `value` at `path` (undefined removes the key); missing objects on the way are created. */
export function setIn<T>(root: T, path: string, value: unknown): T {
  const [key, ...rest] = keysOf(path);
  if (key === undefined) return value as T;
  const node = (root ?? {}) as Record<string, unknown> | unknown[];
  const child = setIn((node as Record<string, unknown>)[key], rest.join("."), value);
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[Number(key)] = child;
    return copy as T;
  }
  const copy: Record<string, unknown> = { ...node };
  if (child === undefined) delete copy[key];
  else copy[key] = child;
  return copy as T;
}

/** True when `problemPath` is `path` itself or lies inside it. */
export const isUnder = (problemPath: string, path: string) =>
  path === "" || problemPath === path || problemPath.startsWith(`${path}.`);

export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Leaf-level differences between two JSON values (arrays compared item by item), for "review the changes". */
export function diffJson(before: unknown, after: unknown, path = ""): Change[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const bothObjects = isObject(before) && isObject(after);
  const bothArrays = Array.isArray(before) && Array.isArray(after);
  if (!bothObjects && !bothArrays) return [{ path, before, after }];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((key) => diffJson(a[key], b[key], path ? `${path}.${key}` : key));
}
