/**
 * SCIM attribute paths as used in mappings and PATCH (RFC 7644 §3.5.2): `userName`, `name.givenName`,
 * `emails[type eq "work"].value`, and extension paths `urn:…:User:ssoName`.
 */
import { CORE_GROUP, CORE_USER } from "./urns";

export interface TargetPath {
  /** Extension schema URN the attribute lives under; undefined for core attributes. */
  schema?: string;
  attr: string;
  /** Value filter on a multi-valued attribute: `emails[type eq "work"]`. */
  filter?: { attr: string; value: string };
  sub?: string;
}

/** A value as a SCIM filter string literal: quoted, with `"` and `\` escaped (RFC 7644 §3.4.2.2, JSON string rules). */
export function scimString(value: string): string {
  return JSON.stringify(value);
}

/** `attribute eq "value"`, the only comparison Entra uses for matching. */
export function eqFilter(attribute: string, value: string): string {
  return `${attribute} eq ${scimString(value)}`;
}

const PATH_RE =
  /^([A-Za-z$][\w$-]*)(?:\[\s*([A-Za-z][\w$-]*)\s+eq\s+("(?:[^"\\]|\\.)*")\s*\])?(?:\.([A-Za-z$][\w$-]*))?$/i;

export function parseTargetPath(path: string): TargetPath {
  let schema: string | undefined;
  let rest = path.trim();
  if (/^urn:/i.test(rest)) {
    // The attribute starts after the last colon that comes before any filter (a filter value may hold colons).
    const bracket = rest.indexOf("[");
    const head = bracket === -1 ? rest : rest.slice(0, bracket);
    const colon = head.lastIndexOf(":");
    schema = rest.slice(0, colon);
    rest = rest.slice(colon + 1);
    if (schema === CORE_USER || schema === CORE_GROUP) schema = undefined;
  }
  const m = PATH_RE.exec(rest);
  if (!m)
    throw new Error(
      `"${path}" is not a SCIM attribute path this app understands (examples: userName, name.givenName, emails[type eq "work"].value).`,
    );
  const [, attr = "", filterAttr, filterValue, sub] = m;
  return {
    ...(schema ? { schema } : {}),
    attr,
    ...(filterAttr && filterValue ? { filter: { attr: filterAttr, value: JSON.parse(filterValue) as string } } : {}),
    ...(sub ? { sub } : {}),
  };
}

/** Case-insensitive property read: SCIM attribute names are case-insensitive (RFC 7643 §2.1). */
export function getAttr(obj: unknown, name: string): unknown {
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return undefined;
  const rec = obj as Record<string, unknown>;
  if (name in rec) return rec[name];
  const lower = name.toLowerCase();
  const key = Object.keys(rec).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : rec[key];
}

function sameValue(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

/** Reads a target path out of a resource the target returned, to compare with what the mappings produce. */
export function readTargetPath(resource: unknown, path: string): unknown {
  const p = parseTargetPath(path);
  const container = p.schema ? getAttr(resource, p.schema) : resource;
  let value = getAttr(container, p.attr);
  if (p.filter) {
    const { attr, value: wanted } = p.filter;
    value = Array.isArray(value) ? value.find((item) => sameValue(getAttr(item, attr), wanted)) : undefined;
  }
  if (p.sub) value = getAttr(value, p.sub);
  return value ?? undefined;
}
