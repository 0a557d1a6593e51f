// Runtime values of the expression language and the conversions Entra applies between them.
// Booleans print as "True"/"False" and dates as "M/d/yyyy h:mm:ss tt" (UTC), as in .NET.
import type { ExprNode } from "./ast";
import { formatDotNet } from "./dotnet-date";

/** A UTC instant produced by CDate, Now, DateAdd, DateFromNum. */
export class DateTimeValue {
  constructor(readonly ms: number) {}
  toString(): string {
    return formatDotNet(this.ms, "M/d/yyyy h:mm:ss tt");
  }
}

/** One element of the computed appRoleAssignments attribute (role names joined in by the engine). */
export interface AppRoleAssignmentValue {
  appRoleId: string;
  displayName?: string;
  value?: string;
}

type Scalar = string | number | boolean | DateTimeValue;
/** `undefined` is an omitted argument; `null` is an absent attribute or a null result. */
export type Value = Scalar | null | undefined | Value[] | { readonly [key: string]: unknown };

/** Raised inside evaluation, caught at the evaluator's boundary and returned as a value. */
export class EvalFailure {
  constructor(
    readonly code: string,
    readonly message: string,
    readonly node?: ExprNode,
  ) {}
}

/** Raised by IgnoreFlowIfNullOrEmpty: the whole attribute is dropped from the flow. */
export class IgnoreFlow {}

export function isNullish(v: Value): v is null | undefined {
  return v === null || v === undefined;
}

export function isNullOrEmpty(v: Value): boolean {
  return isNullish(v) || v === "" || (Array.isArray(v) && v.length === 0);
}

/** Normalises a source attribute value as read from the directory. */
export function fromSource(raw: unknown): Value {
  if (raw === undefined || raw === null) return null;
  if (raw instanceof Date) return new DateTimeValue(raw.getTime());
  if (Array.isArray(raw)) return raw.map(fromSource);
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" || typeof raw === "object")
    return raw as Value;
  return String(raw);
}

/** Text of a single value, or null. Multi-valued and complex values are an error here. */
export function toText(v: Value, fn: string): string | null {
  if (isNullish(v)) return null;
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  if (v instanceof DateTimeValue) return v.toString();
  if (Array.isArray(v)) {
    throw new EvalFailure(
      "MultiValuedInput",
      `${fn} expects a single value but got a multi-valued attribute with ${v.length} values; pick one with Item(..., 1) or combine them with Join.`,
    );
  }
  throw new EvalFailure(
    "ComplexInput",
    `${fn} expects a text value but got an object (${JSON.stringify(v).slice(0, 60)}).`,
  );
}

/** An integer argument (numbers, numeric strings). */
export function toInteger(v: Value, fn: string, what: string): number {
  const text = typeof v === "number" ? String(v) : toText(v, fn);
  const n = text === null ? NaN : Number(text.trim());
  if (!Number.isFinite(n) || text?.trim() === "") {
    throw new EvalFailure(
      "InvalidNumber",
      `${fn}: ${what} must be a number but is ${text === null ? "empty" : `"${text}"`}.`,
    );
  }
  return Math.trunc(n);
}

/** .NET Boolean.Parse, plus real booleans. Undefined when the value is not a boolean. */
export function asBoolean(v: Value): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    const t = v.trim().toLowerCase();
    if (t === "true") return true;
    if (t === "false") return false;
  }
  return undefined;
}

/** The value sent to the target: dates become text; everything else as is. */
export function toOutput(v: Value): unknown {
  if (v === undefined) return null;
  if (v instanceof DateTimeValue) return v.toString();
  if (Array.isArray(v)) return v.map(toOutput);
  return v;
}
