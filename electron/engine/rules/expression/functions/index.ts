// The function library, by name (names are case-sensitive, as in Entra).
import type { FunctionDef } from "./types";
import { dateFunctions } from "./date";
import { logicFunctions } from "./logic";
import { miscFunctions } from "./misc";
import { multiValuedFunctions } from "./multi";
import { replaceFunction } from "./replace";
import { stringFunctions } from "./string";

export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(
  [
    ...stringFunctions,
    replaceFunction,
    ...logicFunctions,
    ...dateFunctions,
    ...multiValuedFunctions,
    ...miscFunctions,
  ].map((f) => [f.name, f]),
);

/** Bare names allowed as arguments (InStr's compareType). */
export const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ["vbBinaryCompare", 0],
  ["vbTextCompare", 1],
]);

/** Why a call has the wrong number of arguments, or undefined when it is fine. */
export function arityProblem(def: FunctionDef, count: number): string | undefined {
  if (count < def.min || count > def.max) {
    const range =
      def.min === def.max
        ? `${def.min}`
        : def.max === Number.POSITIVE_INFINITY
          ? `at least ${def.min}`
          : `${def.min} to ${def.max}`;
    return `${def.name} takes ${range} argument${range === "1" ? "" : "s"} but got ${count}: ${def.signature}.`;
  }
  return def.checkArity?.(count);
}
