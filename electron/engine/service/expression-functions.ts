import type { ExpressionFunction } from "../../../shared/ipc/draft-model";
import { FUNCTIONS } from "../rules";
import { FUNCTION_HELP } from "../rules/expression/functions/help";

/** The expression language's functions for completion and help, straight from the engine's function table. */
export function expressionFunctions(): ExpressionFunction[] {
  return [...FUNCTIONS.values()].map((f) => ({
    name: f.name,
    signature: f.signature,
    help: FUNCTION_HELP[f.name] ?? "",
    minArgs: f.min,
    maxArgs: Number.isFinite(f.max) ? f.max : null,
  }));
}
