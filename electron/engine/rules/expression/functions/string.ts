// String functions. A null source gives null (the attribute does not flow) unless the
// reference documents otherwise (Left and Word give "", Join skips nulls).
import type { Arg, FunctionDef } from "./types";
import { UNBOUNDED } from "./types";
import type { Value } from "../values";
import { EvalFailure, isNullish, toInteger, toText } from "../values";

const text = (arg: Arg | undefined, fn: string): string | null => (arg && !arg.omitted ? toText(arg.get(), fn) : null);

/** Applies fn to the first argument's text, passing null through. */
function mapText(name: string, signature: string, f: (s: string, args: Arg[]) => Value, max = 1, min = 1): FunctionDef {
  return {
    name,
    signature,
    min,
    max,
    run(args) {
      const s = text(args[0], name);
      return s === null ? null : f(s, args);
    },
  };
}

/** Letters that do not decompose into base letter + accent (from the reference's table). */
const SPECIAL_LETTERS: Record<string, string> = {
  æ: "ae",
  Æ: "AE",
  ø: "oe",
  Ø: "OE",
  œ: "oe",
  Œ: "OE",
  ß: "ss",
  ł: "l",
  Ł: "L",
  ı: "i",
  đ: "d",
  Đ: "D",
};

function normalizeDiacritics(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[æÆøØœŒßłŁıđĐ]/g, (c) => SPECIAL_LETTERS[c]!)
    .replace(/\p{M}/gu, "");
}

/** .NET ToTitleCase over lower-cased text: words are runs of letters, digits, marks and apostrophes. */
function properCase(s: string, separators: string | null): string {
  const isSeparator =
    separators === null ? (c: string) => !/[\p{L}\p{N}\p{M}'’]/u.test(c) : (c: string) => separators.includes(c);
  let out = "";
  let atWordStart = true;
  for (const c of s) {
    if (isSeparator(c)) {
      out += c;
      atWordStart = true;
    } else {
      out += atWordStart ? c.toUpperCase() : c.toLowerCase();
      atWordStart = false;
    }
  }
  return out;
}

function changeCase(name: string, upper: boolean): FunctionDef {
  return mapText(
    name,
    `${name}(source, culture)`,
    (s, args) => {
      const culture = text(args[1], name);
      if (!culture) return upper ? s.toUpperCase() : s.toLowerCase();
      try {
        return upper ? s.toLocaleUpperCase(culture) : s.toLocaleLowerCase(culture);
      } catch {
        throw new EvalFailure(
          "InvalidCulture",
          `${name}: "${culture}" is not a culture name; use a name like "en-US" or "tr-TR", or leave it out.`,
          args[1]!.node,
        );
      }
    },
    2,
  );
}

/** VB's InStr compare modes; vbBinaryCompare/vbTextCompare arrive as 0/1. */
function isTextCompare(arg: Arg | undefined): boolean {
  if (!arg || arg.omitted) return false;
  const v = arg.get();
  if (v === 1 || v === "1" || v === "vbTextCompare") return true;
  if (v === 0 || v === "0" || v === "vbBinaryCompare" || isNullish(v)) return false;
  throw new EvalFailure("InvalidArgument", `InStr: compareType must be vbBinaryCompare or vbTextCompare.`, arg.node);
}

export const stringFunctions: FunctionDef[] = [
  {
    name: "Append",
    signature: "Append(source, suffix)",
    min: 2,
    max: 2,
    run(args) {
      const s = text(args[0], "Append");
      return s === null ? null : s + (text(args[1], "Append") ?? "");
    },
  },
  {
    name: "Join",
    signature: "Join(separator, source1, source2, …)",
    min: 2,
    max: UNBOUNDED,
    run(args) {
      const separator = text(args[0], "Join") ?? "";
      const parts: string[] = [];
      const add = (v: Value): void => {
        if (Array.isArray(v)) v.forEach(add);
        else {
          const t = toText(v, "Join");
          if (t !== null && t !== "") parts.push(t);
        }
      };
      for (const a of args.slice(1)) if (!a.omitted) add(a.get());
      return parts.length ? parts.join(separator) : null;
    },
  },
  {
    name: "Left",
    signature: "Left(String, NumChars)",
    min: 2,
    max: 2,
    run(args) {
      const s = text(args[0], "Left") ?? "";
      const n = toInteger(args[1]!.get(), "Left", "NumChars");
      return n < 0 ? s : s.slice(0, n);
    },
  },
  {
    name: "Mid",
    signature: "Mid(source, start, length)",
    min: 3,
    max: 3,
    run(args) {
      const s = text(args[0], "Mid");
      if (s === null) return null;
      const start = toInteger(args[1]!.get(), "Mid", "start");
      const length = toInteger(args[2]!.get(), "Mid", "length");
      if (start < 1)
        throw new EvalFailure(
          "InvalidArgument",
          `Mid: start is 1-based and must be at least 1 (got ${start}).`,
          args[1]!.node,
        );
      if (length < 0)
        throw new EvalFailure("InvalidArgument", `Mid: length cannot be negative (got ${length}).`, args[2]!.node);
      return s.slice(start - 1, start - 1 + length);
    },
  },
  {
    name: "Word",
    signature: "Word(String, WordNumber, Delimiters)",
    min: 3,
    max: 3,
    run(args) {
      const s = text(args[0], "Word") ?? "";
      const n = toInteger(args[1]!.get(), "Word", "WordNumber");
      const delimiters = text(args[2], "Word") ?? "";
      const words: string[] = [];
      let current = "";
      for (const c of s) {
        if (delimiters.includes(c)) {
          if (current) words.push(current);
          current = "";
        } else current += c;
      }
      if (current) words.push(current);
      return n < 1 ? "" : (words[n - 1] ?? "");
    },
  },
  {
    name: "InStr",
    signature: "InStr(value1, value2, start, compareType)",
    min: 2,
    max: 4,
    run(args) {
      const haystack = text(args[0], "InStr") ?? "";
      const needle = text(args[1], "InStr") ?? "";
      const start = args[2] && !args[2].omitted ? toInteger(args[2].get(), "InStr", "start") : 1;
      if (start < 1)
        throw new EvalFailure(
          "InvalidArgument",
          `InStr: start is 1-based and must be at least 1 (got ${start}).`,
          args[2]!.node,
        );
      if (start > haystack.length) return 0;
      if (needle === "") return start;
      const fold = isTextCompare(args[3]) ? (x: string) => x.toLowerCase() : (x: string) => x;
      return fold(haystack).indexOf(fold(needle), start - 1) + 1;
    },
  },
  mapText("NormalizeDiacritics", "NormalizeDiacritics(source)", normalizeDiacritics),
  mapText("PCase", "PCase(source, wordSeparators)", (s, args) => properCase(s, text(args[1], "PCase")), 2),
  mapText("StripSpaces", "StripSpaces(source)", (s) => s.replaceAll(" ", "")),
  changeCase("ToLower", false),
  changeCase("ToUpper", true),
  mapText(
    "Split",
    "Split(source, delimiter)",
    (s, args) => {
      const delimiter = text(args[1], "Split") ?? "";
      // The reference shows "One, Two" split on "," as ["One", "Two"]: items are trimmed.
      return (delimiter ? s.split(delimiter) : [s]).map((x) => x.trim()).filter((x) => x !== "");
    },
    2,
    2,
  ),
  mapText("ConvertToBase64", "ConvertToBase64(source)", (s) => Buffer.from(s, "utf16le").toString("base64")),
  mapText("ConvertToUTF8Hex", "ConvertToUTF8Hex(source)", (s) => Buffer.from(s, "utf8").toString("hex").toUpperCase()),
  mapText("CStr", "CStr(value)", (s) => s),
];
