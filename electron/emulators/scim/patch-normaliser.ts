import { scimError } from "./errors";

/**
 * Entra's default PATCH requests differ from RFC 7644 in ways real SCIM apps accept (entra-provisioning.md):
 * capitalised op names, "True"/"False" strings for `active`, and Add/Replace of `emails[type eq "work"].value`
 * when the user has no such email yet (RFC 7644 §3.5.2.3 would answer 400 noTarget).
 * By default these are rewritten into RFC form before scimmy sees them; strict mode rejects what RFC 7644 rejects.
 */
export interface NormaliseOptions {
  strict: boolean;
  /** The resource being patched, to tell whether a value path targets an existing element. */
  current?: object;
}

type Op = { op?: unknown; path?: unknown; value?: unknown };

// attr[subAttr eq "value"].sub, e.g. emails[type eq "work"].value
const VALUE_PATH = /^(\w+)\[\s*(\w+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\]\.(\w+)$/i;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function getCi(obj: object | undefined, name: string): unknown {
  if (!obj) return undefined;
  return Object.entries(obj).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

function stringBoolean(v: unknown): boolean | undefined {
  if (typeof v !== "string") return undefined;
  const s = v.toLowerCase();
  return s === "true" ? true : s === "false" ? false : undefined;
}

/** Rewrites a value path with no matching element into an add of a new element (Entra: "Add or Replace on empty"). */
function addOnEmpty(path: string, value: unknown, current: object | undefined): Op | undefined {
  const m = VALUE_PATH.exec(path);
  if (!m) return undefined;
  const [, attr, filterAttr, rawFilterValue, sub] = m as unknown as [string, string, string, string, string];
  let filterValue: string;
  try {
    filterValue = JSON.parse(`"${rawFilterValue}"`) as string;
  } catch {
    return undefined; // not a JSON string: let scimmy report the bad path
  }
  const existing = getCi(current, attr);
  const matches =
    Array.isArray(existing) &&
    existing.some((e) => isObject(e) && String(getCi(e, filterAttr)).toLowerCase() === filterValue.toLowerCase());
  return matches ? undefined : { op: "add", path: attr, value: [{ [filterAttr]: filterValue, [sub]: value }] };
}

function normaliseOp(raw: unknown, index: number, opts: NormaliseOptions): unknown[] {
  if (!isObject(raw) || typeof raw.op !== "string") return [raw];
  const op: Op = raw;
  const name = (op.op as string).toLowerCase();
  if (opts.strict) {
    if (op.op !== name) {
      throw scimError(
        400,
        "invalidSyntax",
        `Operation ${index + 1}: op "${String(op.op)}" must be lowercase ("add", "remove" or "replace") in RFC 7644 mode`,
      );
    }
    return [op];
  }
  if (typeof op.path === "string") {
    const b = op.path.toLowerCase() === "active" ? stringBoolean(op.value) : undefined;
    if (b !== undefined) return [{ ...op, value: b }];
    if (name === "add" || name === "replace") return [addOnEmpty(op.path, op.value, opts.current) ?? op];
    return [op];
  }
  if (!isObject(op.value)) return [op];
  // No path: the value object's keys are paths (Entra's RFC-flag mode sends several attributes this way).
  const kept: Record<string, unknown> = {};
  const extra: Op[] = [];
  for (const [k, v] of Object.entries(op.value)) {
    const b = k.toLowerCase() === "active" ? stringBoolean(v) : undefined;
    const rewritten = name === "add" || name === "replace" ? addOnEmpty(k, v, opts.current) : undefined;
    if (rewritten) extra.push(rewritten);
    else kept[k] = b ?? v;
  }
  return [...(Object.keys(kept).length ? [{ ...op, value: kept }] : []), ...extra];
}

/** Returns the PATCH body in RFC form (a new object; the original stays as the client sent it). */
export function normalisePatch(body: unknown, opts: NormaliseOptions): unknown {
  if (!isObject(body) || !Array.isArray(body.Operations)) return body;
  return { ...body, Operations: body.Operations.flatMap((op, i) => normaliseOp(op, i, opts)) };
}
