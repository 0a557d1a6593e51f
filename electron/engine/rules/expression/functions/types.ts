// Shape of a function in the expression library. Arguments are evaluated lazily so that
// Switch, IIF and Coalesce only evaluate the branch they choose, as Entra does.
import type { ExprNode } from "../ast";
import type { Value } from "../values";

export interface Arg {
  node: ExprNode;
  /** True for an empty argument slot: `Replace([a], , "x", , "", , )`. */
  omitted: boolean;
  get(): Value;
}

/** What an evaluation may depend on besides the directory object. Inject for deterministic tests. */
export interface EvalContext {
  now?: () => Date;
  /** Uniform integer in [0, maxExclusive). */
  randomInt?: (maxExclusive: number) => number;
  /** For SelectUniqueValue: whether the target has no object with this value. */
  isUnique?: (value: string) => boolean;
}

export interface Runtime {
  now: () => Date;
  randomInt: (maxExclusive: number) => number;
  isUnique: (value: string) => boolean;
  /** Set by Redact: the mapped value must show as "[Redact]" in logs. */
  redacted: boolean;
}

export interface FunctionDef {
  name: string;
  /** How the reference writes the call, for help and error messages. */
  signature: string;
  min: number;
  max: number;
  /** Extra arity rule (e.g. Switch's pairs); returns a message when violated. */
  checkArity?: (count: number) => string | undefined;
  /** SelectUniqueValue must be the whole expression. */
  topLevelOnly?: boolean;
  run(args: Arg[], rt: Runtime): Value;
}

export const UNBOUNDED = Number.POSITIVE_INFINITY;
