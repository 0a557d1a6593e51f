// Conditions, null tests and conversions: Switch, IIF, Coalesce, IsNull..., Not, CBool, BitAnd,
// IgnoreFlowIfNullOrEmpty.
import type { Arg, FunctionDef } from "./types";
import { UNBOUNDED } from "./types";
import type { Value } from "../values";
import { asBoolean, DateTimeValue, EvalFailure, IgnoreFlow, isNullish, isNullOrEmpty, toText } from "../values";

function test(name: string, f: (v: Value) => boolean): FunctionDef {
  return { name, signature: `${name}(Expression)`, min: 1, max: 1, run: (args) => f(args[0]!.get()) };
}

function toBigInt(arg: Arg, fn: string): bigint {
  const t = toText(arg.get(), fn)?.trim() ?? "";
  if (!/^-?\d+$/.test(t))
    throw new EvalFailure(
      "InvalidNumber",
      `${fn} needs whole numbers but got ${t === "" ? "an empty value" : `"${t}"`}.`,
      arg.node,
    );
  return BigInt(t);
}

export const logicFunctions: FunctionDef[] = [
  {
    name: "Switch",
    signature: "Switch(source, defaultValue, key1, value1, key2, value2, …)",
    min: 4,
    max: UNBOUNDED,
    checkArity: (n) =>
      n % 2 === 0
        ? undefined
        : "Switch takes source, defaultValue, then key/value pairs: the number of arguments must be even.",
    run(args) {
      // A null source matches the key "" (the reference's way to test for empty values).
      const source = toText(args[0]!.get(), "Switch") ?? "";
      for (let i = 2; i + 1 < args.length; i += 2) {
        const key = args[i]!.omitted ? "" : (toText(args[i]!.get(), "Switch") ?? "");
        if (key === source) return args[i + 1]!.get();
      }
      return args[1]!.get() ?? null;
    },
  },
  {
    name: "IIF",
    signature: "IIF(condition, valueIfTrue, valueIfFalse)",
    min: 3,
    max: 3,
    run(args) {
      const condition = args[0]!.get();
      const b = asBoolean(condition);
      if (b === undefined) {
        throw new EvalFailure(
          isNullish(condition) ? "NullCondition" : "InvalidCondition",
          isNullish(condition)
            ? 'IIF\'s condition is empty. Entra fails such a condition; test for empty values with Switch([attr], [attr], "", "fallback") instead.'
            : `IIF's condition must be True or False but is "${toText(condition, "IIF")}".`,
          args[0]!.node,
        );
      }
      return args[b ? 1 : 2]!.get() ?? null;
    },
  },
  {
    name: "Coalesce",
    signature: "Coalesce(source1, source2, …, defaultValue)",
    min: 1,
    max: UNBOUNDED,
    run(args) {
      for (const a of args) {
        const v = a.omitted ? null : a.get();
        if (!isNullish(v)) return v;
      }
      return null;
    },
  },
  test("IsNull", isNullish),
  test("IsNullOrEmpty", isNullOrEmpty),
  test("IsPresent", (v) => !isNullOrEmpty(v)),
  test("IsString", (v) =>
    typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof DateTimeValue),
  { name: "Not", signature: "Not(source)", min: 1, max: 1, run: (args) => asBoolean(args[0]!.get()) !== true },
  {
    name: "CBool",
    signature: "CBool(Expression)",
    min: 1,
    max: 1,
    run(args) {
      const v = args[0]!.get();
      if (isNullish(v)) return false;
      const b = asBoolean(v);
      if (b !== undefined) return b;
      if (typeof v === "number") return v !== 0;
      const t = toText(v, "CBool")!.trim();
      if (t !== "" && Number.isFinite(Number(t))) return Number(t) !== 0;
      throw new EvalFailure("InvalidBoolean", `CBool cannot turn "${t}" into True or False.`, args[0]!.node);
    },
  },
  {
    name: "BitAnd",
    signature: "BitAnd(value1, value2)",
    min: 2,
    max: 2,
    run: (args) => Number(toBigInt(args[0]!, "BitAnd") & toBigInt(args[1]!, "BitAnd")),
  },
  {
    name: "IgnoreFlowIfNullOrEmpty",
    signature: "IgnoreFlowIfNullOrEmpty(expression)",
    min: 1,
    max: 1,
    run(args) {
      const v = args[0]!.get();
      if (isNullOrEmpty(v)) throw new IgnoreFlow();
      return v;
    },
  },
];
