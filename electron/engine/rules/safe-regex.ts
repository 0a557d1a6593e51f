// Admin-written regular expressions (scoping filters, Replace) run on every directory object.
// JavaScript regexes cannot be interrupted, so instead of a timeout we bound the work up front:
// patterns with nested quantifiers (exponential backtracking, checked by safe-regex2) are
// refused at save time and at run time, and inputs are capped in length.
import safeRegex from "safe-regex2";

export const MAX_PATTERN_LENGTH = 1_000;
/** Longer than any directory attribute value; keeps polynomial patterns cheap. */
export const MAX_REGEX_INPUT = 10_000;

export type CompiledRegex = { ok: true; regex: RegExp } | { ok: false; message: string };

/** Compiles a .NET-style pattern as JavaScript (named groups `(?'n'...)` and a leading `(?i)` are translated). */
export function compileSafeRegex(pattern: string, flags = ""): CompiledRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, message: `The regular expression is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed.` };
  }
  let source = pattern.replace(/\(\?'([A-Za-z_][A-Za-z0-9_]*)'/g, "(?<$1>");
  if (source.startsWith("(?i)")) {
    source = source.slice(4);
    flags += "i";
  }
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (e) {
    return { ok: false, message: `"${pattern}" is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}.` };
  }
  if (!safeRegex(regex)) {
    return {
      ok: false,
      message: `"${pattern}" has nested repetition (like "(a+)+") that can take exponential time on some values; rewrite it without a quantifier inside a repeated group.`,
    };
  }
  return { ok: true, regex };
}
