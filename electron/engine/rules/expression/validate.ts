// Save-time checks of an expression: syntax, function names, argument counts, attribute names,
// regular expressions. Each problem carries the position the admin has to fix.
import type { ExprNode } from "./ast";
import { lineColumn, walk } from "./ast";
import { parseExpression } from "./parser";
import { arityProblem, CONSTANTS, FUNCTIONS } from "./functions/index";
import { compileSafeRegex } from "../safe-regex";
import { DateFormatError, formatDotNet } from "./dotnet-date";
import { DATE_INTERVALS } from "./functions/date";

export type ExpressionProblemCode =
  | "parse"
  | "unknownFunction"
  | "arity"
  | "unknownAttribute"
  | "unknownName"
  | "emptyArgument"
  | "misplaced"
  | "invalidRegex"
  | "invalidArgument";

export interface ExpressionProblem {
  code: ExpressionProblemCode;
  message: string;
  /** 0-based offset; line and column are 1-based. */
  position: number;
  line: number;
  column: number;
  suggestions?: string[];
}

export interface ValidateExpressionOptions {
  /** When given, attribute references are checked against it. */
  isKnownAttribute?: (name: string) => boolean;
  /** Names offered as suggestions for an unknown attribute. */
  attributeNames?: readonly string[];
}

export function validateExpression(text: string, options: ValidateExpressionOptions = {}): ExpressionProblem[] {
  const parsed = parseExpression(text);
  if (!parsed.ok) {
    const { position, line, column, message } = parsed.error;
    return [{ code: "parse", message, position, line, column }];
  }
  const problems: ExpressionProblem[] = [];
  const add = (code: ExpressionProblemCode, node: ExprNode, message: string, suggestions?: string[]) =>
    problems.push({
      code,
      message,
      position: node.start,
      ...lineColumn(text, node.start),
      ...(suggestions?.length ? { suggestions } : {}),
    });

  walk(parsed.ast, (node, parent) => {
    if (node.type === "Call") {
      const def = FUNCTIONS.get(node.name);
      if (!def) {
        const suggestions = similar(node.name, [...FUNCTIONS.keys()]);
        const caseOnly =
          suggestions[0]?.toLowerCase() === node.name.toLowerCase() ? " (function names are case-sensitive)" : "";
        add(
          "unknownFunction",
          node,
          `There is no function named "${node.name}"${suggestions.length ? `; did you mean ${suggestions.join(" or ")}?${caseOnly}` : "."}`,
          suggestions,
        );
        return;
      }
      const arity = arityProblem(def, node.args.length);
      if (arity) add("arity", node, arity);
      if (def.topLevelOnly && parent)
        add(
          "misplaced",
          node,
          `${def.name} must be the whole expression; it cannot be nested inside another function.`,
        );
      const first = node.args[0];
      if (first?.type === "Empty")
        add("emptyArgument", first, `${def.name}'s first argument is required: ${def.signature}.`);
      checkLiterals(node.name, node.args, add);
    } else if (node.type === "Attribute" && options.isKnownAttribute && !options.isKnownAttribute(node.name)) {
      const suggestions = similar(node.name, options.attributeNames ?? []);
      add(
        "unknownAttribute",
        node,
        `[${node.name}] is not a known source attribute${suggestions.length ? `; did you mean ${suggestions.map((s) => `[${s}]`).join(" or ")}?` : "."}`,
        suggestions,
      );
    } else if (node.type === "Identifier" && !CONSTANTS.has(node.name)) {
      const isFunction = FUNCTIONS.has(node.name);
      add(
        "unknownName",
        node,
        isFunction
          ? `${node.name} is a function: call it with parentheses, e.g. ${node.name}(...).`
          : `"${node.name}" is not a value: put text in double quotes ("${node.name}") or an attribute in brackets ([${node.name}]).`,
      );
    }
  });
  return problems;
}

/** Checks constant arguments that can be judged before any object is evaluated. */
function checkLiterals(
  fn: string,
  args: ExprNode[],
  add: (code: ExpressionProblemCode, node: ExprNode, message: string) => void,
): void {
  const literal = (i: number) => {
    const arg = args[i];
    return arg?.type === "String" ? arg : undefined;
  };
  if (fn === "Replace") {
    const pattern = literal(2);
    const compiled = pattern && compileSafeRegex(pattern.value);
    if (pattern && compiled && !compiled.ok) add("invalidRegex", pattern, compiled.message);
  }
  if (fn === "DateAdd" || fn === "DateDiff") {
    const interval = literal(0);
    if (interval && !DATE_INTERVALS.includes(interval.value.toLowerCase()))
      add("invalidArgument", interval, `${fn}: "${interval.value}" is not an interval; use yyyy, m, d, ww, h, n or s.`);
  }
  if (fn === "FormatDateTime") {
    for (const i of args.length === 4 ? [2, 3] : [1, 2]) {
      const format = literal(i);
      try {
        if (format) formatDotNet(0, format.value);
      } catch (e) {
        if (e instanceof DateFormatError && format) add("invalidArgument", format, `FormatDateTime: ${e.message}`);
        else throw e;
      }
    }
  }
}

/** Names close to `name`: same ignoring case, sharing a prefix, or within a small edit distance. */
export function similar(name: string, candidates: readonly string[], max = 3): string[] {
  const lower = name.toLowerCase();
  return candidates
    .map((c) => {
      const cl = c.toLowerCase();
      const score = cl === lower ? 0 : cl.startsWith(lower) || lower.startsWith(cl) ? 1 : editDistance(lower, cl) + 1;
      return { c, score };
    })
    .filter((x) => x.score <= Math.max(1, Math.floor(name.length / 3)) + 1)
    .sort((a, b) => a.score - b.score || a.c.localeCompare(b.c))
    .slice(0, max)
    .map((x) => x.c);
}

/** Edit distance counting a swap of neighbouring letters as one edit ("mial" -> "mail"). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 5) return 99;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length]!;
}
