/** Builds SCIM resource bodies (POST) from mapped values keyed by target path. */
import { parseTargetPath, type TargetPath } from "./paths";
import { CORE_GROUP, CORE_USER } from "./urns";

type Obj = Record<string, unknown>;

/** Mappings yield strings; `active` is a SCIM boolean, and Entra's default mapping produces "True"/"False". */
export function toBoolean(value: unknown): unknown {
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  return value;
}

export function isActivePath(p: TargetPath): boolean {
  return !p.schema && !p.filter && !p.sub && p.attr.toLowerCase() === "active";
}

/** Sets one parsed path to a value inside `root`, creating nested objects and filtered array items as needed. */
export function setPath(root: Obj, p: TargetPath, value: unknown): void {
  const container = p.schema ? ((root[p.schema] ??= {}) as Obj) : root;
  if (p.filter) {
    const list = (container[p.attr] ??= []) as Obj[];
    const { attr, value: wanted } = p.filter;
    let item = list.find((i) => i[attr] === wanted);
    if (!item) {
      item = { [attr]: wanted };
      list.push(item);
    }
    if (p.sub) item[p.sub] = value;
    else Object.assign(item, value);
  } else if (p.sub) {
    ((container[p.attr] ??= {}) as Obj)[p.sub] = value;
  } else {
    container[p.attr] = value;
  }
}

/**
 * A resource body for POST /Users or /Groups: nested `name`, typed multi-valued items (`emails` with
 * `primary: true` on the first), extensions as objects keyed by URN, every URN listed in `schemas`.
 * Null and undefined values are never sent; groups are created without members (they are PATCHed in afterwards).
 */
export function toScimResource(objectType: "user" | "group", values: Record<string, unknown>): Obj {
  const body: Obj = {};
  const schemas = [objectType === "user" ? CORE_USER : CORE_GROUP];
  const typedLists = new Set<string>();
  for (const [path, raw] of Object.entries(values)) {
    if (raw === null || raw === undefined) continue;
    const p = parseTargetPath(path);
    if (objectType === "group" && !p.schema && p.attr.toLowerCase() === "members") continue;
    if (p.schema && !schemas.includes(p.schema)) schemas.push(p.schema);
    setPath(body, p, isActivePath(p) ? toBoolean(raw) : raw);
    if (p.filter && !p.schema) typedLists.add(p.attr);
  }
  // Like Entra: the first typed item of each list (emails[type eq "work"]) is the primary one.
  for (const attr of typedLists) {
    const first = (body[attr] as Obj[])[0];
    if (first && !("primary" in first)) first.primary = true;
  }
  return { schemas, ...body };
}
