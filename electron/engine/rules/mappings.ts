// Applies attribute mappings to one directory object, with Entra's rules: Direct/Constant/
// Expression/None, "apply only during object creation", "default value if null" (create only).
import type { AttributeMapping, ObjectRules } from "../../../shared/config/mappings";
import type { ExprNode } from "./expression/ast";
import type { EvalError } from "./expression/evaluate";
import { evaluateAst, readAttribute } from "./expression/evaluate";
import type { EvalContext } from "./expression/functions/types";
import { parseExpression } from "./expression/parser";
import { toOutput } from "./expression/values";

export interface MappingOptions {
  /** True when the object does not exist in the target yet. */
  isCreate: boolean;
  context?: EvalContext;
}

export type MappingResult =
  | { status: "value"; target: string; value: unknown; redacted: boolean; usedDefault: boolean }
  /** Evaluated to null or empty: nothing is sent; on update the engine may clear the attribute. */
  | { status: "null"; target: string; redacted: boolean }
  | { status: "skipped"; target: string; reason: "OnCreate" | "None" | "IgnoreFlow" }
  | { status: "error"; target: string; error: EvalError };

export interface MappingsOutcome {
  /** Target path -> value to send. Never null. */
  values: Record<string, unknown>;
  /** Targets whose mapping gave no value. */
  nulls: string[];
  /** Targets not flowing this time (OnCreate on update, None, IgnoreFlowIfNullOrEmpty). */
  skipped: string[];
  /** Targets whose value must appear as "[Redact]" in logs. */
  redacted: string[];
  errors: Array<{ target: string; mappingIndex: number } & EvalError>;
}

const parsedCache = new Map<string, ReturnType<typeof parseExpression>>();

/** Expressions are parsed once per distinct text: a cycle evaluates the same few thousands of times. */
function parsed(expression: string): { ok: true; ast: ExprNode } | { ok: false; error: EvalError } {
  let result = parsedCache.get(expression);
  if (!result) {
    result = parseExpression(expression);
    if (parsedCache.size >= 1000) parsedCache.clear();
    parsedCache.set(expression, result);
  }
  return result.ok
    ? result
    : { ok: false, error: { code: "ParseError", message: result.error.message, position: result.error.position } };
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

export function evaluateMapping(
  mapping: AttributeMapping,
  source: Record<string, unknown>,
  options: MappingOptions,
): MappingResult {
  const target = mapping.target;
  if (mapping.apply === "OnCreate" && !options.isCreate) return { status: "skipped", target, reason: "OnCreate" };
  let value: unknown = null;
  let redacted = false;
  switch (mapping.type) {
    case "None":
      // None leaves the target alone; its default value still fills the attribute on create.
      if (!(options.isCreate && mapping.defaultValue !== undefined))
        return { status: "skipped", target, reason: "None" };
      break;
    case "Direct":
      value = toOutput(readAttribute(source, mapping.source ?? ""));
      break;
    case "Constant":
      value = mapping.value ?? null;
      break;
    case "Expression": {
      const p = parsed(mapping.expression ?? "");
      if (!p.ok) return { status: "error", target, error: p.error };
      const r = evaluateAst(p.ast, source, options.context);
      if (!r.ok) return { status: "error", target, error: r.error };
      if (r.ignoreFlow) return { status: "skipped", target, reason: "IgnoreFlow" };
      value = r.value;
      redacted = r.redacted;
      break;
    }
  }
  if (isEmpty(value) && options.isCreate && mapping.defaultValue !== undefined) {
    return { status: "value", target, value: mapping.defaultValue, redacted, usedDefault: true };
  }
  return isEmpty(value)
    ? { status: "null", target, redacted }
    : { status: "value", target, value, redacted, usedDefault: false };
}

export function evaluateMappings(
  rules: ObjectRules,
  source: Record<string, unknown>,
  options: MappingOptions,
): MappingsOutcome {
  const outcome: MappingsOutcome = { values: {}, nulls: [], skipped: [], redacted: [], errors: [] };
  rules.mappings.forEach((mapping, mappingIndex) => {
    const r = evaluateMapping(mapping, source, options);
    if (r.status === "value") outcome.values[r.target] = r.value;
    else if (r.status === "null") outcome.nulls.push(r.target);
    else if (r.status === "skipped") outcome.skipped.push(r.target);
    else outcome.errors.push({ target: r.target, mappingIndex, ...r.error });
    if ((r.status === "value" || r.status === "null") && r.redacted) outcome.redacted.push(r.target);
  });
  return outcome;
}

export interface MatchingAttribute {
  target: string;
  precedence: number;
  mapping: AttributeMapping;
}

/** Matching attributes in the order the target is searched (lowest precedence number first). */
export function matchingAttributes(rules: ObjectRules): MatchingAttribute[] {
  return rules.mappings
    .filter((m): m is AttributeMapping & { matching: { precedence: number } } => m.matching !== undefined)
    .map((m) => ({ target: m.target, precedence: m.matching.precedence, mapping: m }))
    .sort((a, b) => a.precedence - b.precedence);
}
