import { evaluateExpression } from "../../electron/engine/rules/expression/evaluate";
import type { EvalContext } from "../../electron/engine/rules/expression/functions/types";

/** A fixed clock and a seeded random source, so Now/Guid/RandomString are reproducible. */
export function fixedContext(seed = 1, now = "2021-07-02T15:33:38Z"): EvalContext {
  let state = seed;
  return {
    now: () => new Date(now),
    randomInt: (max) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % max;
    },
  };
}

/** The value of an expression, or `error:<code>`, or `ignore` for IgnoreFlowIfNullOrEmpty. */
export function run(
  expression: string,
  source: Record<string, unknown> = {},
  context: EvalContext = fixedContext(),
): unknown {
  const r = evaluateExpression(expression, source, context);
  if (!r.ok) return `error:${r.error.code}`;
  return r.ignoreFlow ? "ignore" : r.value;
}
