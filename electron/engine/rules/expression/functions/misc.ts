// Guid, RandomString, Redact and SelectUniqueValue: the functions that depend on more than
// the directory object (randomness, the target's existing values, logging).
import type { FunctionDef, Runtime } from "./types";
import { UNBOUNDED } from "./types";
import { EvalFailure, toInteger, toText } from "../values";

/** Character classes of Windows password complexity rules, which RandomString follows. */
const CLASSES = {
  numbers: "0123456789",
  special: "~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/",
  capital: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  lower: "abcdefghijklmnopqrstuvwxyz",
};
const MAX_RANDOM_LENGTH = 256;

function randomGuid(rt: Runtime): string {
  const bytes = Array.from({ length: 16 }, () => rt.randomInt(256));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const miscFunctions: FunctionDef[] = [
  { name: "Guid", signature: "Guid()", min: 0, max: 0, run: (_args, rt) => randomGuid(rt) },
  {
    name: "RandomString",
    signature:
      "RandomString(Length, MinimumNumbers, MinimumSpecialCharacters, MinimumCapital, MinimumLowerCase, CharactersToAvoid)",
    min: 5,
    max: 6,
    run(args, rt) {
      const [length, ...mins] = args
        .slice(0, 5)
        .map((a, i) =>
          toInteger(
            a.get(),
            "RandomString",
            ["Length", "MinimumNumbers", "MinimumSpecialCharacters", "MinimumCapital", "MinimumLowerCase"][i]!,
          ),
        );
      const avoid = args[5] && !args[5].omitted ? (toText(args[5].get(), "RandomString") ?? "") : "";
      const need = mins.reduce((a, b) => a + b, 0);
      if (length! < 1 || length! > MAX_RANDOM_LENGTH || mins.some((m) => m < 0) || need > length!) {
        throw new EvalFailure(
          "InvalidArgument",
          `RandomString: Length must be 1–${MAX_RANDOM_LENGTH} and at least the sum of the minimums (${need}); minimums cannot be negative.`,
        );
      }
      const pools = Object.values(CLASSES).map((c) => [...c].filter((ch) => !avoid.includes(ch)).join(""));
      const pick = (pool: string) => pool[rt.randomInt(pool.length)]!;
      const chars: string[] = [];
      pools.forEach((pool, i) => {
        if (mins[i]! > 0 && pool === "")
          throw new EvalFailure(
            "InvalidArgument",
            "RandomString: CharactersToAvoid removes every character of a class that has a minimum.",
          );
        for (let k = 0; k < mins[i]!; k++) chars.push(pick(pool));
      });
      const all = pools.join("");
      while (chars.length < length!) chars.push(pick(all));
      for (let i = chars.length - 1; i > 0; i--) {
        const j = rt.randomInt(i + 1);
        [chars[i], chars[j]] = [chars[j]!, chars[i]!];
      }
      return chars.join("");
    },
  },
  {
    name: "Redact",
    signature: "Redact(attribute or value)",
    min: 1,
    max: 1,
    run(args, rt) {
      rt.redacted = true;
      return args[0]!.get() ?? null;
    },
  },
  {
    name: "SelectUniqueValue",
    signature: "SelectUniqueValue(uniqueValueRule1, uniqueValueRule2, …)",
    min: 2,
    max: UNBOUNDED,
    topLevelOnly: true,
    run(args, rt) {
      const tried: string[] = [];
      for (const a of args) {
        const v = toText(a.get(), "SelectUniqueValue");
        if (!v) continue;
        if (rt.isUnique(v)) return v;
        tried.push(v);
      }
      throw new EvalFailure(
        "NoUniqueValue",
        `SelectUniqueValue: every candidate already exists in the target (${tried.join(", ")}); add another rule.`,
      );
    },
  },
];
