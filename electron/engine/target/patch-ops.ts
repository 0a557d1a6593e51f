/** PATCH operations (RFC 7644 §3.5.2) in the two dialects: Entra's default requests, or strict RFC 7644. */
import { eqFilter, parseTargetPath } from "./paths";
import { isActivePath, setPath, toBoolean } from "./scim-body";

export type Dialect = "entra" | "rfc7644";

export interface PatchOperation {
  op: "Add" | "Replace" | "Remove" | "add" | "replace" | "remove";
  path?: string;
  value?: unknown;
}

export interface AttributeChange {
  path: string;
  /** null (or undefined) clears the attribute. */
  value: unknown;
}

const OPS = {
  entra: { add: "Add", replace: "Replace", remove: "Remove" },
  rfc7644: { add: "add", replace: "replace", remove: "remove" },
} as const;

/** Entra sends booleans of `active` as the strings "True"/"False"; RFC mode sends JSON booleans. */
function activeValue(value: unknown, dialect: Dialect): unknown {
  const b = toBoolean(value);
  if (dialect === "rfc7644" || typeof b !== "boolean") return b;
  return b ? "True" : "False";
}

/**
 * Operations for changed attributes. Entra: one Replace per attribute, Remove to clear. RFC 7644: several
 * replaces merge into one pathless replace whose value mirrors the resource (nested `name`, extensions keyed
 * by URN; §3.5.2.3 leaves unspecified sub-attributes untouched); value-filter paths stay path operations
 * because a pathless value cannot address one item of a list.
 */
export function toPatchOperations(changes: AttributeChange[], dialect: Dialect): PatchOperation[] {
  const op = OPS[dialect];
  const pathOps: PatchOperation[] = [];
  const removes: PatchOperation[] = [];
  const mergeable: AttributeChange[] = [];
  for (const change of changes) {
    const p = parseTargetPath(change.path);
    if (change.value === null || change.value === undefined) {
      removes.push({ op: op.remove, path: change.path });
      continue;
    }
    const value = isActivePath(p) ? activeValue(change.value, dialect) : change.value;
    if (dialect === "rfc7644" && !p.filter) mergeable.push({ path: change.path, value });
    else pathOps.push({ op: op.replace, path: change.path, value });
  }
  if (mergeable.length === 1) {
    const [only] = mergeable as [AttributeChange];
    pathOps.unshift({ op: op.replace, path: only.path, value: only.value });
  } else if (mergeable.length > 1) {
    const value: Record<string, unknown> = {};
    for (const c of mergeable) setPath(value, parseTargetPath(c.path), c.value);
    pathOps.unshift({ op: op.replace, value });
  }
  return [...pathOps, ...removes];
}

/**
 * Member changes in PATCH requests of at most `batchSize` member changes each (one request per batch rather than
 * per member). RFC 7644 removes each member by value filter (§3.5.2.2), which counts toward the batch.
 */
export function membershipOperations(
  add: string[],
  remove: string[],
  dialect: Dialect,
  batchSize: number,
): PatchOperation[][] {
  const size = Math.max(1, Math.floor(batchSize));
  const op = OPS[dialect];
  const changes = [...add.map((id) => ({ id, adding: true })), ...remove.map((id) => ({ id, adding: false }))];
  const batches: PatchOperation[][] = [];
  for (let i = 0; i < changes.length; i += size) {
    const chunk = changes.slice(i, i + size);
    const adds = chunk.filter((c) => c.adding).map((c) => ({ value: c.id }));
    const removes = chunk.filter((c) => !c.adding).map((c) => c.id);
    const ops: PatchOperation[] = [];
    if (adds.length) ops.push({ op: op.add, path: "members", value: adds });
    if (removes.length && dialect === "entra")
      ops.push({ op: op.remove, path: "members", value: removes.map((value) => ({ value })) });
    if (removes.length && dialect === "rfc7644")
      ops.push(...removes.map((id) => ({ op: op.remove, path: `members[${eqFilter("value", id)}]` })));
    batches.push(ops);
  }
  return batches;
}

export function renameGroupOperation(displayName: string, dialect: Dialect): PatchOperation {
  return { op: OPS[dialect].replace, path: "displayName", value: displayName };
}
