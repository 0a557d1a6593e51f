// Scoping filters, with Entra's semantics: clauses of a filter are ANDed, filters are ORed, no
// filter means everything is in scope. A clause on a null or empty value is false (except IS NULL and
// IS NOT PRESENT), text comparisons are case-sensitive, GREATER_THAN compares integers.
import type { ScopingClause, ScopingFilter } from "../../../shared/config/mappings";
import { UNARY_SCOPING_OPERATORS } from "../../../shared/config/mappings";
import { readAttribute } from "./expression/evaluate";
import { asBoolean, DateTimeValue, isNullOrEmpty, toText } from "./expression/values";
import type { CompiledRegex } from "./safe-regex";
import { compileSafeRegex, MAX_REGEX_INPUT, RegexTimeoutError, runRegex } from "./safe-regex";

export interface ClauseOutcome {
  filterIndex: number;
  clauseIndex: number;
  clause: ScopingClause;
  matched: boolean;
  /** Plain-language account of the decision, for the UI and logs. */
  reason: string;
}

export interface ScopingDecision {
  inScope: boolean;
  reason: string;
  /** The clause that decided: the last clause of the filter that matched, or the failing clause of the first filter. */
  decidedBy?: ClauseOutcome;
  /** When out of scope: the first failing clause of every filter. */
  failures?: ClauseOutcome[];
}

const INTEGER = /^-?\d+$/;
const regexCache = new Map<string, CompiledRegex>();

function regexFor(pattern: string): CompiledRegex {
  let compiled = regexCache.get(pattern);
  if (!compiled) {
    compiled = compileSafeRegex(pattern);
    if (regexCache.size >= 500) regexCache.clear();
    regexCache.set(pattern, compiled);
  }
  return compiled;
}

function describe(c: ScopingClause): string {
  return `${c.attribute} ${c.operator.replaceAll("_", " ")}${UNARY_SCOPING_OPERATORS.includes(c.operator) ? "" : ` "${c.value ?? ""}"`}`;
}

/** Evaluates one clause; `reason` says why it matched or not. */
export function evaluateClause(
  clause: ScopingClause,
  source: Record<string, unknown>,
): { matched: boolean; reason: string } {
  const raw = readAttribute(source, clause.attribute);
  const what = describe(clause);
  if (clause.operator === "IS_PRESENT" || clause.operator === "IS_NOT_PRESENT") {
    const present = !isNullOrEmpty(raw);
    // IS_NOT_PRESENT is the documented exception to "a clause on a null value is false": it is true on null.
    return {
      matched: present === (clause.operator === "IS_PRESENT"),
      reason: `${what}: ${clause.attribute} ${present ? "has a value" : "has no value"}.`,
    };
  }
  if (Array.isArray(raw))
    return {
      matched: false,
      reason: `${what}: ${clause.attribute} is multi-valued, and scoping filters cannot test multi-valued attributes.`,
    };
  if (raw !== null && typeof raw === "object" && !(raw instanceof DateTimeValue)) {
    return { matched: false, reason: `${what}: ${clause.attribute} is not a simple value.` };
  }
  const empty = isNullOrEmpty(raw);
  if (clause.operator === "IS_NULL")
    return { matched: empty, reason: `${what}: the value is ${empty ? "empty" : "present"}.` };
  if (clause.operator === "IS_NOT_NULL")
    return { matched: !empty, reason: `${what}: the value is ${empty ? "empty" : "present"}.` };
  if (empty)
    return {
      matched: false,
      reason: `${what}: ${clause.attribute} is empty, and every clause on an empty value is false.`,
    };
  const actual = toText(raw, "scoping")!;
  const shown = `${clause.attribute} is "${actual}"`;
  const result = (matched: boolean, detail = shown) => ({ matched, reason: `${what}: ${detail}.` });
  const value = clause.value ?? "";
  switch (clause.operator) {
    case "IS_TRUE":
    case "IS_FALSE": {
      const b = asBoolean(raw);
      if (b === undefined) return result(false, `${shown}, which is not a boolean`);
      return result(b === (clause.operator === "IS_TRUE"));
    }
    case "EQUALS":
      return result(actual === value);
    case "NOT_EQUALS":
      return result(actual !== value);
    case "ENDS_WITH":
      return result(actual.endsWith(value));
    case "INCLUDES":
      return result(actual.includes(value));
    case "GREATER_THAN":
    case "GREATER_THAN_OR_EQUALS": {
      if (!INTEGER.test(actual.trim())) return result(false, `${shown}, which is not an integer`);
      if (!INTEGER.test(value.trim())) return result(false, `the clause value "${value}" is not an integer`);
      const [a, b] = [BigInt(actual.trim()), BigInt(value.trim())];
      return result(clause.operator === "GREATER_THAN" ? a > b : a >= b);
    }
    case "REGEX_MATCH":
    case "NOT_REGEX_MATCH": {
      const compiled = regexFor(value);
      if (!compiled.ok) return result(false, compiled.message);
      if (actual.length > MAX_REGEX_INPUT)
        return result(
          false,
          `${clause.attribute} is ${actual.length} characters long, over the ${MAX_REGEX_INPUT} a regular expression may run on`,
        );
      try {
        const { regex } = compiled.regex;
        return result(runRegex(compiled.regex, () => regex.test(actual)) === (clause.operator === "REGEX_MATCH"));
      } catch (e) {
        if (e instanceof RegexTimeoutError) return result(false, e.message);
        throw e;
      }
    }
  }
}

export function evaluateScoping(filters: readonly ScopingFilter[], source: Record<string, unknown>): ScopingDecision {
  if (filters.length === 0) return { inScope: true, reason: "No scoping filters: every object is in scope." };
  const failures: ClauseOutcome[] = [];
  for (const [filterIndex, filter] of filters.entries()) {
    let last: ClauseOutcome | undefined;
    let failed: ClauseOutcome | undefined;
    for (const [clauseIndex, clause] of filter.clauses.entries()) {
      const outcome = { filterIndex, clauseIndex, clause, ...evaluateClause(clause, source) };
      if (!outcome.matched) {
        failed = outcome;
        break;
      }
      last = outcome;
    }
    if (!failed) {
      return {
        inScope: true,
        reason: `In scope: every clause of scoping filter ${filterLabel(filter, filterIndex)} matched.`,
        ...(last ? { decidedBy: last } : {}),
      };
    }
    failures.push(failed);
  }
  const first = failures[0]!;
  return {
    inScope: false,
    reason: `Out of scope: ${failures.map((f) => `filter ${filterLabel(filters[f.filterIndex]!, f.filterIndex)} failed on ${f.reason}`).join("; ")}`,
    decidedBy: first,
    failures,
  };
}

function filterLabel(filter: ScopingFilter, index: number): string {
  return filter.title ? `"${filter.title}"` : `#${index + 1}`;
}
