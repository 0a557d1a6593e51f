// Turns expression text into tokens. Errors are returned as values (never thrown) so the
// parser can report them with their position.
import type { CompareOp } from "./ast";

export type Token =
  | { kind: "name"; text: string; start: number; end: number }
  | { kind: "attribute"; text: string; start: number; end: number }
  | { kind: "string"; text: string; start: number; end: number }
  | { kind: "number"; value: number | string; start: number; end: number }
  | { kind: "op"; op: CompareOp; start: number; end: number }
  | { kind: "(" | ")" | "," | "eof"; start: number; end: number };

export interface LexError {
  position: number;
  expected: string;
  message: string;
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const HEX = /^&[Hh]([0-9A-Fa-f]+)/;

export function tokenize(text: string): { ok: true; tokens: Token[] } | { ok: false; error: LexError } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: c, start, end: ++i });
    } else if (c === "[") {
      const close = text.indexOf("]", i + 1);
      const body = close < 0 ? "" : text.slice(i + 1, close);
      if (close < 0 || /[[\n]/.test(body)) {
        return fail(start, `"]"`, `The attribute reference starting here has no closing "]".`);
      }
      if (body.trim() === "")
        return fail(
          start,
          "an attribute name",
          `"[]" names no attribute: write the source attribute name inside the brackets, e.g. [mail].`,
        );
      tokens.push({ kind: "attribute", text: body.trim(), start, end: (i = close + 1) });
    } else if (c === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length)
          return fail(
            start,
            `closing '"'`,
            `The string starting here is never closed: add a '"' at its end (write \\" for a quote inside it).`,
          );
        const ch = text[i]!;
        if (ch === '"') break;
        if (ch === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      tokens.push({ kind: "string", text: value, start, end: ++i });
    } else if (DIGIT.test(c) || (c === "-" && DIGIT.test(text[i + 1] ?? ""))) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i, i + 400))!;
      i += m[0].length;
      tokens.push({ kind: "number", value: numberValue(m[0], !m[1]), start, end: i });
    } else if (c === "&" && HEX.test(text.slice(i, i + 40))) {
      const m = HEX.exec(text.slice(i, i + 40))!;
      i += m[0].length;
      tokens.push({ kind: "number", value: numberValue(BigInt("0x" + m[1]!).toString(), true), start, end: i });
    } else if (NAME_START.test(c)) {
      while (i < text.length && NAME_PART.test(text[i]!)) i++;
      tokens.push({ kind: "name", text: text.slice(start, i), start, end: i });
    } else if (c === "=" || c === "<" || c === ">") {
      const two = text.slice(i, i + 2);
      const op: CompareOp = two === "<>" || two === ">=" || two === "<=" ? two : (c as CompareOp);
      i += op.length;
      tokens.push({ kind: "op", op, start, end: i });
    } else {
      return fail(start, 'a function, [attribute], "string" or number', `Unexpected character "${c}".`);
    }
  }
  tokens.push({ kind: "eof", start: text.length, end: text.length });
  return { ok: true, tokens };
}

/** Integers beyond 2^53 keep their exact digits (AD file times are 18 digits long). */
function numberValue(raw: string, integer: boolean): number | string {
  const n = Number(raw);
  return integer && !Number.isSafeInteger(n) ? BigInt(raw).toString() : n;
}

function fail(position: number, expected: string, message: string): { ok: false; error: LexError } {
  return { ok: false, error: { position, expected, message } };
}
