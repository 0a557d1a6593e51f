// Admin-written regular expressions (scoping filters, Replace) run on every directory object, and
// a JavaScript regex cannot be interrupted once it backtracks. Three layers keep them bounded:
// 1. patterns with nested quantifiers ("(a+)+", exponential) are refused outright (safe-regex2);
// 2. V8 switches a pattern to its linear-time engine when it backtracks excessively; this covers
//    polynomial cases like "a*a*a*b", for every pattern that engine can run;
// 3. patterns it cannot run (backreferences, lookarounds, case-insensitive, group indices) execute
//    under a time limit instead.
// Inputs are also capped in length.
import v8 from "node:v8";
import vm from "node:vm";
import safeRegex from "safe-regex2";

export const MAX_PATTERN_LENGTH = 1_000;
/** Longer than any directory attribute value. */
export const MAX_REGEX_INPUT = 10_000;
/** Time limit for one match of a pattern the linear-time engine cannot take over. */
export const GUARDED_REGEX_TIMEOUT_MS = 200;

export interface SafeRegex {
  regex: RegExp;
  /** True when this pattern must run under the time limit (see runRegex). */
  guarded: boolean;
}

export type CompiledRegex = { ok: true; regex: SafeRegex } | { ok: false; message: string };

export class RegexTimeoutError extends Error {}

/** V8's flag for its linear-time engine (unknown to linters, hence a constant). */
const LINEAR = "l";

const linearEngine = ((): boolean => {
  try {
    v8.setFlagsFromString("--enable-experimental-regexp-engine");
    v8.setFlagsFromString("--enable-experimental-regexp-engine-on-excessive-backtracks");
    new RegExp("a", LINEAR);
    return true;
  } catch {
    return false;
  }
})();

/** Whether V8's linear-time engine can run this pattern, and so take over from excessive backtracking. */
function linearCapable(source: string, flags: string): boolean {
  if (!linearEngine) return false;
  try {
    new RegExp(source, flags + LINEAR);
    return true;
  } catch {
    return false;
  }
}

/** Compiles a .NET-style pattern as JavaScript (named groups `(?'n'...)` and a leading `(?i)` are translated). */
export function compileSafeRegex(pattern: string, flags = ""): CompiledRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return {
      ok: false,
      message: `The regular expression is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed.`,
    };
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
    return {
      ok: false,
      message: `"${pattern}" is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}.`,
    };
  }
  if (!safeRegex(regex)) {
    return {
      ok: false,
      message: `"${pattern}" has nested repetition (like "(a+)+") that can take exponential time on some values; rewrite it without a quantifier inside a repeated group.`,
    };
  }
  return { ok: true, regex: { regex, guarded: !linearCapable(source, flags) } };
}

const sandbox = vm.createContext({ work: (): unknown => undefined });
const callWork = new vm.Script("work()");

/** Runs `work` (which uses the regex) directly, or under the time limit for guarded patterns. */
export function runRegex<T>(compiled: SafeRegex, work: () => T): T {
  if (!compiled.guarded) return work();
  sandbox.work = work;
  try {
    return callWork.runInContext(sandbox, { timeout: GUARDED_REGEX_TIMEOUT_MS }) as T;
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      throw new RegexTimeoutError(
        `The regular expression /${compiled.regex.source}/ took longer than ${GUARDED_REGEX_TIMEOUT_MS} ms on this value and was stopped; simplify it.`,
      );
    }
    throw e;
  } finally {
    sandbox.work = () => undefined;
  }
}
