import { describe, expect, it } from "vitest";
import type { ScopingClause, ScopingFilter } from "../../shared/config/mappings";
import { ScopingFilterSchema } from "../../shared/config/mappings";
import { evaluateClause, evaluateScoping } from "../../electron/engine/rules/scoping";

const clause = (attribute: string, operator: ScopingClause["operator"], value?: string): ScopingClause => ({
  attribute,
  operator,
  ...(value !== undefined ? { value } : {}),
});

type Row = [operator: ScopingClause["operator"], value: string | undefined, attributeValue: unknown, expected: boolean];

const rows: Row[] = [
  ["EQUALS", "Sales", "Sales", true],
  ["EQUALS", "Sales", "sales", false],
  ["EQUALS", "Sales", null, false],
  ["EQUALS", "", "", false],
  ["NOT_EQUALS", "Sales", "Marketing", true],
  ["NOT_EQUALS", "Sales", "sales", true],
  ["NOT_EQUALS", "Sales", "Sales", false],
  ["NOT_EQUALS", "Sales", null, false],
  ["ENDS_WITH", "@contoso.com", "ann@contoso.com", true],
  ["ENDS_WITH", "@contoso.com", "ann@CONTOSO.com", false],
  ["ENDS_WITH", "@contoso.com", undefined, false],
  ["INCLUDES", "Eng", "Platform Engineering", true],
  ["INCLUDES", "eng", "Platform Engineering", false],
  ["INCLUDES", "Eng", "", false],
  ["GREATER_THAN", "1000000", "1500000", true],
  ["GREATER_THAN", "1000000", "1000000", false],
  ["GREATER_THAN", "9", "10", true], // integers, not text ("10" < "9" as text)
  ["GREATER_THAN", "-5", "-2", true],
  ["GREATER_THAN", "10", "10.5", false],
  ["GREATER_THAN", "10", "abc", false],
  ["GREATER_THAN", "10", null, false],
  ["GREATER_THAN", "99999999999999999999", "100000000000000000000", true],
  ["GREATER_THAN_OR_EQUALS", "1000000", "1000000", true],
  ["GREATER_THAN_OR_EQUALS", "1000000", "999999", false],
  ["GREATER_THAN_OR_EQUALS", "7", 7, true],
  ["IS_TRUE", undefined, true, true],
  ["IS_TRUE", undefined, "true", true],
  ["IS_TRUE", undefined, "True", true],
  ["IS_TRUE", undefined, false, false],
  ["IS_TRUE", undefined, "yes", false],
  ["IS_TRUE", undefined, null, false],
  ["IS_FALSE", undefined, false, true],
  ["IS_FALSE", undefined, "FALSE", true],
  ["IS_FALSE", undefined, true, false],
  ["IS_FALSE", undefined, null, false],
  ["IS_NULL", undefined, null, true],
  ["IS_NULL", undefined, undefined, true],
  ["IS_NULL", undefined, "", true],
  ["IS_NULL", undefined, "x", false],
  ["IS_NULL", undefined, false, false],
  ["IS_NOT_NULL", undefined, "x", true],
  ["IS_NOT_NULL", undefined, 0, true],
  ["IS_NOT_NULL", undefined, "", false],
  ["IS_NOT_NULL", undefined, null, false],
  ["REGEX_MATCH", ".*\\@domain.com", "ann@domain.com", true],
  ["REGEX_MATCH", ".*\\@domain.com", "ann@other.com", false],
  ["REGEX_MATCH", "([1-9][0-9])", "42", true],
  ["REGEX_MATCH", "^sales$", "Sales", false],
  ["REGEX_MATCH", "(?i)^sales$", "Sales", true],
  ["REGEX_MATCH", "(1[0-9][0-9][0-9][0-9][0-9][0-9])", "1234567", true],
  ["REGEX_MATCH", "x", null, false],
  ["REGEX_MATCH", "(", "x", false],
  ["NOT_REGEX_MATCH", ".*\\@domain.com", "ann@other.com", true],
  ["NOT_REGEX_MATCH", ".*\\@domain.com", "ann@domain.com", false],
  ["NOT_REGEX_MATCH", "x", null, false],
  ["NOT_REGEX_MATCH", "x", "", false],
  ["NOT_REGEX_MATCH", "(a+)+$", "b", false],
  ["IS_PRESENT", undefined, null, false],
  ["IS_PRESENT", undefined, undefined, false],
  ["IS_PRESENT", undefined, "", false],
  ["IS_PRESENT", undefined, [], false],
  ["IS_PRESENT", undefined, "x", true],
  ["IS_PRESENT", undefined, 0, true],
  ["IS_PRESENT", undefined, false, true],
  ["IS_PRESENT", undefined, ["x"], true],
  ["IS_NOT_PRESENT", undefined, null, true],
  ["IS_NOT_PRESENT", undefined, undefined, true],
  ["IS_NOT_PRESENT", undefined, "", true],
  ["IS_NOT_PRESENT", undefined, [], true],
  ["IS_NOT_PRESENT", undefined, "x", false],
  ["IS_NOT_PRESENT", undefined, 0, false],
  ["IS_NOT_PRESENT", undefined, false, false],
  ["IS_NOT_PRESENT", undefined, ["x"], false],
];

describe("scoping clauses", () => {
  it.each(rows)("%s %j on %j is %s", (operator, value, attributeValue, expected) => {
    const source = attributeValue === undefined ? {} : { a: attributeValue };
    expect(evaluateClause(clause("a", operator, value), source).matched).toBe(expected);
  });

  it("never matches multi-valued attributes", () => {
    const r = evaluateClause(clause("proxyAddresses", "INCLUDES", "smtp"), { proxyAddresses: ["smtp:a"] });
    expect(r.matched).toBe(false);
    expect(r.reason).toMatch(/multi-valued/);
  });

  it("stays bounded on regexes that backtrack badly", () => {
    const long = { a: "a".repeat(10_000) };
    // Polynomial backtracking: V8's linear-time engine takes over.
    expect(evaluateClause(clause("a", "REGEX_MATCH", "a*a*a*b"), long).matched).toBe(false);
    expect(evaluateClause(clause("a", "NOT_REGEX_MATCH", "a*a*a*b"), long).matched).toBe(true);
    // A backreference keeps the backtracking engine: the time limit stops it and says why.
    const r = evaluateClause(clause("a", "REGEX_MATCH", "(a*)\\1a*a*b"), long);
    expect(r.matched).toBe(false);
    expect(r.reason).toMatch(/took longer than/);
    expect(evaluateClause(clause("a", "REGEX_MATCH", "^(a)\\1"), { a: "aa" }).matched).toBe(true);
    expect(evaluateClause(clause("a", "REGEX_MATCH", "x"), { a: "x".repeat(10_001) }).reason).toMatch(/10000/);
  });

  it("explains the outcome with the attribute's value", () => {
    expect(evaluateClause(clause("department", "EQUALS", "Sales"), { department: "Marketing" }).reason).toBe(
      'department EQUALS "Sales": department is "Marketing".',
    );
    expect(evaluateClause(clause("department", "EQUALS", "Sales"), {}).reason).toMatch(/empty/);
    expect(evaluateClause(clause("a", "REGEX_MATCH", "(a+)+$"), { a: "aaa" }).reason).toMatch(/nested repetition/);
  });
});

describe("evaluateScoping", () => {
  const newYorkEngineers: ScopingFilter = {
    title: "NY engineers",
    clauses: [
      clause("state", "EQUALS", "New York"),
      clause("department", "EQUALS", "Engineering"),
      clause("employeeId", "GREATER_THAN_OR_EQUALS", "1000000"),
      clause("jobTitle", "IS_NOT_NULL"),
    ],
  };
  const contractors: ScopingFilter = { clauses: [clause("userType", "EQUALS", "Guest")] };

  it("puts everything in scope when there are no filters", () => {
    expect(evaluateScoping([], {})).toMatchObject({ inScope: true });
  });

  it("ANDs the clauses of a filter and names the failing clause", () => {
    const user = { state: "New York", department: "Engineering", employeeId: "1500000" };
    const d = evaluateScoping([newYorkEngineers], user);
    expect(d.inScope).toBe(false);
    expect(d.decidedBy).toMatchObject({ filterIndex: 0, clauseIndex: 3, clause: { attribute: "jobTitle" } });
    expect(d.reason).toMatch(/"NY engineers" failed on jobTitle IS NOT NULL/);
    expect(evaluateScoping([newYorkEngineers], { ...user, jobTitle: "Dev" })).toMatchObject({
      inScope: true,
      decidedBy: { filterIndex: 0, clauseIndex: 3 },
    });
  });

  it("ORs filters: any fully matching filter puts the object in scope", () => {
    const guest = { userType: "Guest", state: "Ohio" };
    expect(evaluateScoping([newYorkEngineers, contractors], guest)).toMatchObject({
      inScope: true,
      decidedBy: { filterIndex: 1, clauseIndex: 0 },
    });
    const member = { userType: "Member", state: "Ohio" };
    const d = evaluateScoping([newYorkEngineers, contractors], member);
    expect(d.inScope).toBe(false);
    expect(d.failures?.map((f) => [f.filterIndex, f.clauseIndex])).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it("accepts Entra's operator spellings in profiles", () => {
    const parsed = ScopingFilterSchema.parse({
      clauses: [
        { attribute: "a", operator: "NOT EQUALS", value: "x" },
        { attribute: "a", operator: "Greater_Than", value: "1" },
        { attribute: "a", operator: "REGEX MATCH", value: "x" },
        { attribute: "a", operator: "Includes", value: "x" },
        { attribute: "a", operator: "&" },
        { attribute: "a", operator: " !& " },
        { attribute: "a", operator: "is not null" },
      ],
    });
    expect(parsed.clauses.map((c) => c.operator)).toEqual([
      "NOT_EQUALS",
      "GREATER_THAN",
      "REGEX_MATCH",
      "INCLUDES",
      "IS_PRESENT",
      "IS_NOT_PRESENT",
      "IS_NOT_NULL",
    ]);
    expect(ScopingFilterSchema.safeParse({ clauses: [{ attribute: "a", operator: "LIKE" }] }).success).toBe(false);
  });
});
