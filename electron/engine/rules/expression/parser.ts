// Recursive-descent parser for Entra's expression language:
//   expression := operand (compareOp operand)?
//   operand    := Name "(" args? ")" | Name | [attribute] | "string" | number
//   args       := arg ("," arg)*      where an arg may be empty: Switch([a], , "x", "y")
// Never throws: every failure is a ParseError with the offset where it happened.
import { MAX_EXPRESSION_LENGTH } from "../../../../shared/config/mappings";
import type { ExprNode, ParseError, ParseResult } from "./ast";
import { lineColumn } from "./ast";
import type { Token } from "./lexer";
import { tokenize } from "./lexer";

/** Deeper nesting than any real mapping; keeps recursion far from the stack limit. */
const MAX_NESTING = 100;

class Failure {
  constructor(
    readonly position: number,
    readonly expected: string,
    readonly message: string,
  ) {}
}

export function parseExpression(text: string): ParseResult {
  const error = (position: number, expected: string, message: string): ParseResult => ({
    ok: false,
    error: { kind: "parse", position, ...lineColumn(text, position), expected, message } satisfies ParseError,
  });
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return error(
      MAX_EXPRESSION_LENGTH,
      "at most 10,000 characters",
      `The expression is ${text.length} characters long; Entra and ProvisionDesk accept at most ${MAX_EXPRESSION_LENGTH}. Shorten it.`,
    );
  }
  const lexed = tokenize(text);
  if (!lexed.ok) return error(lexed.error.position, lexed.error.expected, lexed.error.message);
  try {
    const parser = new Parser(lexed.tokens, text);
    return { ok: true, ast: parser.parseAll() };
  } catch (e) {
    if (e instanceof Failure) return error(e.position, e.expected, e.message);
    throw e;
  }
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  parseAll(): ExprNode {
    const first = this.peek();
    if (first.kind === "eof") throw new Failure(0, "an expression", "The expression is empty.");
    const node = this.parseComparison();
    const next = this.peek();
    if (next.kind !== "eof") {
      throw new Failure(
        next.start,
        "end of expression",
        `Unexpected ${describe(next)} after a complete expression${next.kind === "," ? ': is a function call missing its opening "("?' : "."}`,
      );
    }
    return node;
  }

  private parseComparison(): ExprNode {
    const left = this.parseOperand();
    const next = this.peek();
    if (next.kind !== "op") return left;
    this.index++;
    const right = this.parseOperand();
    const after = this.peek();
    if (after.kind === "op") {
      throw new Failure(
        after.start,
        '"," or ")"',
        `Comparisons cannot be chained ("a = b = c"); nest IIF calls instead.`,
      );
    }
    return { type: "Compare", op: next.op, left, right, start: left.start, end: right.end };
  }

  private parseOperand(): ExprNode {
    const t = this.next();
    switch (t.kind) {
      case "attribute":
        return { type: "Attribute", name: t.text, start: t.start, end: t.end };
      case "string":
        return { type: "String", value: t.text, start: t.start, end: t.end };
      case "number":
        return { type: "Number", value: t.value, start: t.start, end: t.end };
      case "name":
        return this.peek().kind === "("
          ? this.parseCall(t)
          : { type: "Identifier", name: t.text, start: t.start, end: t.end };
      default:
        throw new Failure(
          t.start,
          'a function, [attribute], "string" or number',
          `Expected a value but found ${describe(t)}.`,
        );
    }
  }

  private parseCall(name: Extract<Token, { kind: "name" }>): ExprNode {
    const open = this.next();
    if (++this.depth > MAX_NESTING) {
      throw new Failure(
        name.start,
        `at most ${MAX_NESTING} nested calls`,
        `Functions are nested more than ${MAX_NESTING} deep here; simplify the expression.`,
      );
    }
    const args: ExprNode[] = [];
    if (this.peek().kind === ")") {
      this.index++;
    } else {
      for (;;) {
        const t = this.peek();
        args.push(
          t.kind === "," || t.kind === ")" ? { type: "Empty", start: t.start, end: t.start } : this.parseComparison(),
        );
        const sep = this.next();
        if (sep.kind === ")") break;
        if (sep.kind !== ",") {
          const at = lineColumn(this.text, open.start);
          throw new Failure(
            sep.start,
            '"," or ")"',
            `Expected "," or ")" to continue ${name.text}( opened at line ${at.line}, column ${at.column}, but found ${describe(sep)}.`,
          );
        }
      }
    }
    this.depth--;
    return { type: "Call", name: name.text, args, start: name.start, end: this.tokens[this.index - 1]!.end };
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const t = this.tokens[this.index]!;
    if (t.kind !== "eof") this.index++;
    return t;
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case "eof":
      return "the end of the expression";
    case "name":
      return `"${t.text}"`;
    case "attribute":
      return `[${t.text}]`;
    case "string":
      return "a string";
    case "number":
      return `the number ${t.value}`;
    case "op":
      return `"${t.op}"`;
    default:
      return `"${t.kind}"`;
  }
}
