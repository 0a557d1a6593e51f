// Evaluates an expression tree against one directory object. Never throws: failures come back
// as { ok: false, error }, and IgnoreFlowIfNullOrEmpty as { ok: true, ignoreFlow: true }.
import { randomInt as cryptoRandomInt } from "node:crypto";
import type { CompareOp, ExprNode } from "./ast";
import { parseExpression } from "./parser";
import type { Arg, EvalContext, Runtime } from "./functions/types";
import { arityProblem, CONSTANTS, FUNCTIONS } from "./functions/index";
import type { Value } from "./values";
import { asBoolean, DateTimeValue, EvalFailure, fromSource, IgnoreFlow, isNullish, toOutput, toText } from "./values";
import { parseDotNet } from "./dotnet-date";

export interface EvalError {
  code: string;
  message: string;
  /** 0-based offset of the part of the expression that failed, when known. */
  position?: number;
}

export type EvalResult =
  | { ok: true; value: unknown; redacted: boolean; ignoreFlow: false }
  | { ok: true; value: null; redacted: boolean; ignoreFlow: true }
  | { ok: false; error: EvalError };

export function evaluateAst(ast: ExprNode, source: Record<string, unknown>, context: EvalContext = {}): EvalResult {
  const rt: Runtime = {
    now: context.now ?? (() => new Date()),
    randomInt: context.randomInt ?? ((max) => cryptoRandomInt(max)),
    isUnique: context.isUnique ?? (() => true),
    redacted: false,
  };
  try {
    const value = evaluateNode(ast, source, rt);
    return { ok: true, value: toOutput(value), redacted: rt.redacted, ignoreFlow: false };
  } catch (e) {
    if (e instanceof IgnoreFlow) return { ok: true, value: null, redacted: rt.redacted, ignoreFlow: true };
    if (e instanceof EvalFailure)
      return { ok: false, error: { code: e.code, message: e.message, ...(e.node ? { position: e.node.start } : {}) } };
    // A bug in a function must not stop a provisioning cycle: report it as this attribute's error.
    return {
      ok: false,
      error: {
        code: "InternalError",
        message: `Evaluating the expression failed unexpectedly: ${(e as Error)?.message ?? String(e)}`,
      },
    };
  }
}

/** Parses and evaluates in one step; a parse error comes back as an evaluation error. */
export function evaluateExpression(
  text: string,
  source: Record<string, unknown>,
  context: EvalContext = {},
): EvalResult {
  const parsed = parseExpression(text);
  if (!parsed.ok)
    return { ok: false, error: { code: "ParseError", message: parsed.error.message, position: parsed.error.position } };
  return evaluateAst(parsed.ast, source, context);
}

/** Reads an attribute by its exact name, falling back to a case-insensitive match. */
export function readAttribute(source: Record<string, unknown>, name: string): Value {
  if (Object.hasOwn(source, name)) return fromSource(source[name]);
  const lower = name.toLowerCase();
  const key = Object.keys(source).find((k) => k.toLowerCase() === lower);
  return key === undefined ? null : fromSource(source[key]);
}

function evaluateNode(node: ExprNode, source: Record<string, unknown>, rt: Runtime): Value {
  switch (node.type) {
    case "String":
    case "Number":
      return node.value;
    case "Empty":
      return undefined;
    case "Attribute":
      return readAttribute(source, node.name);
    case "Identifier": {
      const constant = CONSTANTS.get(node.name);
      if (constant === undefined)
        throw new EvalFailure(
          "UnknownName",
          `"${node.name}" is not a value: put text in double quotes or call a function with "(...)".`,
          node,
        );
      return constant;
    }
    case "Compare":
      return compare(node.op, evaluateNode(node.left, source, rt), evaluateNode(node.right, source, rt), node);
    case "Call": {
      const def = FUNCTIONS.get(node.name);
      if (!def) throw new EvalFailure("UnknownFunction", `There is no function named "${node.name}".`, node);
      const problem = arityProblem(def, node.args.length);
      if (problem) throw new EvalFailure("WrongArity", problem, node);
      const args: Arg[] = node.args.map((argNode) => {
        let cached: { v: Value } | undefined;
        return {
          node: argNode,
          omitted: argNode.type === "Empty",
          get: () => (cached ??= { v: evaluateNode(argNode, source, rt) }).v,
        };
      });
      try {
        return def.run(args, rt);
      } catch (e) {
        // Point errors without a location at the call that raised them.
        if (e instanceof EvalFailure && !e.node) throw new EvalFailure(e.code, e.message, node);
        throw e;
      }
    }
  }
}

/** Ordering key of a comparison operand: dates by instant, numbers numerically, else text. */
function compare(op: CompareOp, left: Value, right: Value, node: ExprNode): boolean {
  if (isNullish(left) || isNullish(right)) {
    // Entra fails any condition on an empty attribute. For = and <> we compare it as "" instead
    // (as Switch does), so IIF([country]="", "Other", [country]) works; ordering stays an error.
    if (op === "=" || op === "<>") return ((toText(left, op) ?? "") === (toText(right, op) ?? "")) === (op === "=");
    throw new EvalFailure(
      "NullInCondition",
      `A comparison (${op}) has an empty side, so it is neither true nor false; handle empty values first, e.g. with Switch([attr], [attr], "", "fallback").`,
      node,
    );
  }
  let a: string | number;
  let b: string | number;
  const lb = asBoolean(left);
  const rb = asBoolean(right);
  if ((typeof left === "boolean" || typeof right === "boolean") && lb !== undefined && rb !== undefined) {
    [a, b] = [Number(lb), Number(rb)];
  } else if (left instanceof DateTimeValue || right instanceof DateTimeValue) {
    [a, b] = [dateKey(left, node), dateKey(right, node)];
  } else {
    const [ta, tb] = [toText(left, op)!, toText(right, op)!];
    const numeric = ta.trim() !== "" && tb.trim() !== "" && Number.isFinite(Number(ta)) && Number.isFinite(Number(tb));
    // "=" between two texts stays a case-sensitive text comparison; numbers compare as numbers.
    const useNumbers =
      numeric && (op !== "=" && op !== "<>" ? true : typeof left === "number" || typeof right === "number");
    [a, b] = useNumbers ? [Number(ta), Number(tb)] : [ta, tb];
  }
  switch (op) {
    case "=":
      return a === b;
    case "<>":
      return a !== b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
  }
}

function dateKey(v: Value, node: ExprNode): number {
  if (v instanceof DateTimeValue) return v.ms;
  const ms = parseDotNet(toText(v, "comparison")!);
  if (ms === null)
    throw new EvalFailure(
      "InvalidDate",
      `Cannot compare a date with "${toText(v, "comparison")}", which is not a date.`,
      node,
    );
  return ms;
}
