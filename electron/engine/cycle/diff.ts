import type { TargetValues } from "../db/types";
import type { AttributeChange } from "./types";

const isEmpty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/** Mappings yield strings; targets answer booleans and numbers. "True" and true are the same value. */
function normalise(v: unknown): unknown {
  if (isEmpty(v)) return null;
  if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  if (typeof v === "number" || typeof v === "boolean") return v;
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function sameValue(a: unknown, b: unknown): boolean {
  return normalise(a) === normalise(b);
}

/**
 * The attributes whose desired value differs from what the target holds. `target` (full cycles) are the target's
 * own values and win over `exported` (our last export), except where the target returned nothing for an attribute
 * we exported unchanged: targets drop attributes they do not store, and that must not look like a change every cycle.
 */
export function diffValues(
  desired: TargetValues,
  exported: TargetValues | null,
  target: TargetValues | null,
): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const [path, value] of Object.entries(desired)) {
    const fromTarget = target?.[path];
    const known = exported?.[path];
    if (target && !isEmpty(fromTarget)) {
      if (!sameValue(value, fromTarget)) changes.push({ attribute: path, old: fromTarget, new: value ?? null });
    } else if (target && exported && sameValue(value, known)) {
      continue;
    } else if (!sameValue(value, target ? fromTarget : known)) {
      changes.push({ attribute: path, old: (target ? fromTarget : known) ?? null, new: value ?? null });
    }
  }
  return changes;
}
