import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ExprNode } from "../../electron/engine/rules/expression/ast";
import { evaluateAst } from "../../electron/engine/rules/expression/evaluate";
import { FUNCTIONS } from "../../electron/engine/rules/expression/functions/index";
import { parseExpression } from "../../electron/engine/rules/expression/parser";
import { validateExpression } from "../../electron/engine/rules/expression/validate";
import { isKnownSourceAttribute, USER_ATTRIBUTES } from "../../electron/engine/rules/source-attributes";
import { fixedContext } from "./helpers";

function ast(text: string): ExprNode {
  const r = parseExpression(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.ast;
}

describe("parseExpression", () => {
  it("parses Entra's default active mapping, with an omitted argument", () => {
    const node = ast('Switch([IsSoftDeleted], , "False", "True", "True", "False")');
    expect(node).toMatchObject({ type: "Call", name: "Switch", start: 0 });
    if (node.type !== "Call") return;
    expect(node.args.map((a) => a.type)).toEqual(["Attribute", "Empty", "String", "String", "String", "String"]);
    expect(node.args[0]).toMatchObject({ name: "IsSoftDeleted", start: 7, end: 22 });
  });

  it('unescapes \\" and \\\\ in strings', () => {
    expect(ast('"Company name: \\"Contoso\\""')).toMatchObject({ type: "String", value: 'Company name: "Contoso"' });
    expect(ast('"a\\\\b"')).toMatchObject({ type: "String", value: "a\\b" });
  });

  it("reads numbers, negative numbers, VB hex literals and 18-digit file times exactly", () => {
    expect(ast("Left([a], 3)")).toMatchObject({ args: [{}, { type: "Number", value: 3 }] });
    expect(ast('DateAdd("d", -10, Now())')).toMatchObject({ args: [{}, { type: "Number", value: -10 }, {}] });
    expect(ast("BitAnd(&HF, &HF7)")).toMatchObject({ args: [{ value: 15 }, { value: 247 }] });
    expect(ast("DateFromNum(129699324000000001)")).toMatchObject({ args: [{ value: "129699324000000001" }] });
  });

  it("parses comparisons inside calls and a zero-argument call", () => {
    expect(ast('IIF(DateDiff("d", Now(), [d]) >= 5, "a", "b")')).toMatchObject({
      args: [{ type: "Compare", op: ">=", left: { name: "DateDiff" }, right: { value: 5 } }, {}, {}],
    });
    expect(ast("Guid()")).toMatchObject({ type: "Call", args: [] });
  });

  it("accepts expressions spread over several lines", () => {
    expect(ast('Join(",",\n  [givenName],\n  [surname])')).toMatchObject({ type: "Call", name: "Join" });
  });

  const errors: Array<[text: string, position: number, expected: RegExp]> = [
    ["", 0, /an expression/],
    ["   ", 0, /an expression/],
    ['Join(",", [a]', 13, /"," or "\)"/],
    ['Append([a] ".x")', 11, /"," or "\)"/],
    ['Append([a], "x"))', 16, /end of expression/],
    ['Append([a], "x', 12, /closing '"'/],
    ["Append([a, 1)", 7, /"\]"/],
    ["Append([], 1)", 7, /attribute name/],
    ["Append(#)", 7, /a function/],
    ['IIF([a] = "x" = "y", 1, 2)', 14, /"," or "\)"/],
    ['Append(, "x"', 12, /"," or "\)"/],
    ['Join(",",\n  [a]\n  [b])', 18, /"," or "\)"/],
  ];

  it.each(errors)("reports %j as a parse error at offset %i", (text, position, expected) => {
    const r = parseExpression(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ kind: "parse", position });
    expect(r.error.expected).toMatch(expected);
    expect(r.error.message.length).toBeGreaterThan(10);
  });

  it("gives line and column for multi-line expressions", () => {
    const r = parseExpression('Join(",",\n  [a]\n  [b])');
    expect(!r.ok && r.error).toMatchObject({ line: 3, column: 3 });
  });

  it("rejects expressions over 10,000 characters and absurd nesting", () => {
    const long = `Append([a], "${"x".repeat(10_000)}")`;
    expect(parseExpression(long)).toMatchObject({ ok: false, error: { position: 10_000 } });
    const deep = "ToLower(".repeat(101) + "[a]" + ")".repeat(101);
    expect(parseExpression(deep)).toMatchObject({ ok: false, error: { kind: "parse" } });
    const fine = "ToLower(".repeat(50) + "[a]" + ")".repeat(50);
    expect(parseExpression(fine).ok).toBe(true);
  });
});

describe("validateExpression", () => {
  const options = {
    isKnownAttribute: (n: string) => isKnownSourceAttribute("users", n),
    attributeNames: USER_ATTRIBUTES.map((a) => a.name),
  };

  it("accepts the documented expressions", () => {
    for (const e of [
      'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
      'InStr([mail], "@", 1, vbTextCompare)',
      'Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))',
    ]) {
      expect(validateExpression(e, options)).toEqual([]);
    }
  });

  it("names unknown functions with their position and similar names", () => {
    const [p] = validateExpression('Append([mail], join(",", [surname]))', options);
    expect(p).toMatchObject({ code: "unknownFunction", position: 15, line: 1, column: 16, suggestions: ["Join"] });
    expect(p!.message).toMatch(/case-sensitive/);
    expect(validateExpression('Apend([mail], "x")', options)[0]).toMatchObject({
      code: "unknownFunction",
      suggestions: ["Append"],
    });
  });

  it("checks argument counts, including Switch's key/value pairs", () => {
    expect(validateExpression("Left([mail])", options)[0]).toMatchObject({ code: "arity", position: 0 });
    expect(validateExpression("Left([mail])", options)[0]!.message).toMatch(/Left\(String, NumChars\)/);
    expect(validateExpression('Switch([mail], "d", "k")', options)[0]).toMatchObject({ code: "arity" });
    expect(validateExpression('Switch([mail], "d", "k", "v", "k2")', options)[0]!.message).toMatch(/even/);
  });

  it("flags unknown attributes, bare words, misplaced SelectUniqueValue, empty first arguments and bad regexes", () => {
    expect(validateExpression('Append([mial], "x")', options)[0]).toMatchObject({
      code: "unknownAttribute",
      position: 7,
      suggestions: ["mail"],
    });
    expect(
      validateExpression(
        "Append([extension_0123456789abcdef0123456789abcdef_costCenter], [extensionAttribute3])",
        options,
      ),
    ).toEqual([]);
    expect(validateExpression("Append([mail], contoso)", options)[0]).toMatchObject({
      code: "unknownName",
      position: 15,
    });
    expect(validateExpression('ToLower(SelectUniqueValue("a", "b"))', options)[0]).toMatchObject({
      code: "misplaced",
      position: 8,
    });
    expect(validateExpression('Switch(, "a", "b", "c")', options)[0]).toMatchObject({
      code: "emptyArgument",
      position: 7,
    });
    expect(validateExpression('Replace([mail], , "(a*)*b", , "", , )', options)[0]).toMatchObject({
      code: "invalidRegex",
      position: 18,
    });
    expect(validateExpression('DateAdd("days", 1, Now())', options)[0]).toMatchObject({
      code: "invalidArgument",
      position: 8,
    });
    expect(validateExpression('FormatDateTime([mail], , "yyyy", "Q")', options)[0]).toMatchObject({
      code: "invalidArgument",
      position: 33,
    });
    expect(validateExpression('FormatDateTime([mail], "yyyy", "o")', options)).toEqual([]);
  });
});

// Building blocks for mutated expressions: valid expressions, then characters that stress the lexer.
const SAMPLES = [
  'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
  'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )',
  'IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True")',
  'Join(", ", "", [surname], [givenName])',
  'FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
  "BitAnd(&HF, &HF7)",
  'InStr("repEated","e",3,vbBinaryCompare)',
  'PCase([lastName]," \'-")',
];
const NOISE = ['"', "\\", "(", ")", "[", "]", ",", " ", "=", "<", ">", "&", "&H", "-", "1", "\n", "é", "A("];

const mutated = fc
  .tuple(
    fc.constantFrom(...SAMPLES),
    fc.array(fc.tuple(fc.constantFrom("delete", "insert", "duplicate"), fc.nat(), fc.constantFrom(...NOISE)), {
      maxLength: 8,
    }),
  )
  .map(([text, ops]) => {
    let s = text;
    for (const [op, at, noise] of ops) {
      const i = at % (s.length + 1);
      if (op === "delete") s = s.slice(0, i) + s.slice(i + 1);
      else if (op === "insert") s = s.slice(0, i) + noise + s.slice(i);
      else s = s.slice(0, i) + s.slice(i, i + 12) + s.slice(i);
    }
    return s;
  });

describe("parser robustness (property)", () => {
  const check = (text: string) => {
    const r = parseExpression(text);
    if (r.ok) {
      // Whatever parses also evaluates to a value or a typed error, never an exception.
      const e = evaluateAst(r.ast, { IsSoftDeleted: false, surname: "Doe", lastName: "O'NEIL" }, fixedContext());
      expect(typeof e.ok).toBe("boolean");
      expect(Array.isArray(validateExpression(text))).toBe(true);
    } else {
      expect(r.error.kind).toBe("parse");
      expect(r.error.position).toBeGreaterThanOrEqual(0);
      expect(r.error.position).toBeLessThanOrEqual(text.length);
      expect(r.error.line).toBeGreaterThanOrEqual(1);
      expect(r.error.expected).not.toBe("");
    }
  };

  it("returns an AST or a typed parse error for random text", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), check), { numRuns: 1500 });
  });

  it("returns an AST or a typed parse error for mutated real expressions", () => {
    fc.assert(fc.property(mutated, check), { numRuns: 3000 });
  });

  it("handles long hostile input (bounded by the 10,000-character limit)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("(", "[", '"', "A(", "A([a],", "\\"),
        fc.integer({ min: 1, max: 12_000 }),
        (unit, n) => check(unit.repeat(Math.ceil(n / unit.length))),
      ),
      { numRuns: 200 },
    );
  });
});

describe("evaluation robustness (property)", () => {
  // Random calls to every function with every kind of argument, nested: evaluation returns a
  // value or a typed error from the function, never an exception or an internal error.
  const leaf = fc.oneof(
    fc.constantFrom(
      "[a]",
      "[m]",
      "[d]",
      "[n]",
      "[roles]",
      "[missing]",
      '""',
      '"x"',
      '"2021-01-01"',
      "3",
      "-1",
      "0",
      "&HF",
      "vbTextCompare",
      "",
    ),
    fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
  );
  const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
    e: fc.oneof(
      { depthSize: "small" },
      leaf,
      fc
        .tuple(fc.constantFrom(...FUNCTIONS.keys()), fc.array(tie("e"), { maxLength: 7 }))
        .map(([f, args]) => `${f}(${args.join(", ")})`),
      fc.tuple(tie("e"), fc.constantFrom("=", "<>", ">", "<="), tie("e")).map(([l, op, r]) => `${l} ${op} ${r}`),
    ),
  })).e;
  const source = {
    a: "Ann O'Neil",
    m: ["x", "y", "x"],
    d: "2021-03-04T05:06:07Z",
    n: 42,
    roles: [{ appRoleId: "r", displayName: "Admin" }],
  };

  it("never fails with an internal error", () => {
    fc.assert(
      fc.property(expression, (text) => {
        const parsed = parseExpression(text);
        if (!parsed.ok) return;
        const r = evaluateAst(parsed.ast, source, fixedContext());
        expect(r.ok || r.error.code).not.toBe("InternalError");
      }),
      { numRuns: 2000 },
    );
  });
});
