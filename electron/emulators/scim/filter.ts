import SCIMMY from "scimmy";
import { scimError } from "./errors";

/** One `attrPath eq value` clause of a filter made only of `eq` and `and` (what Entra sends). */
export interface EqClause {
  path: string;
  value: string | number | boolean | null;
  caseExact: boolean;
}

const WS = /\s+/y;
const ATTR_PATH = /[A-Za-z][^\s"()[\]]*/y;
const EQ = /eq(?=\s)/iy;
const AND = /and(?=\s)/iy;
// compValue (RFC 7644 §3.4.2.2): a JSON string with escapes, a number, true, false or null.
const VALUE = /"(?:[^"\\]|\\.)*"|true\b|false\b|null\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/iy;

function take(re: RegExp, s: string, at: number): [string, number] | undefined {
  re.lastIndex = at;
  const m = re.exec(s);
  return m ? [m[0], re.lastIndex] : undefined;
}

/**
 * Parses `a eq "x" and b eq true ...` ourselves: scimmy's filter parser rejects escaped quotes inside values and
 * compares case-sensitively even where the schema says caseExact false (userName, displayName, emails.value).
 * Returns undefined when the filter uses anything else, so the caller can hand it to scimmy.
 */
export function parseEqFilter(filter: string, schema: SCIMMY.Types.SchemaDefinition): EqClause[] | undefined {
  const clauses: EqClause[] = [];
  let at = take(WS, filter, 0)?.[1] ?? 0;
  for (;;) {
    const path = take(ATTR_PATH, filter, at);
    const ws1 = path && take(WS, filter, path[1]);
    const op = ws1 && take(EQ, filter, ws1[1]);
    const ws2 = op && take(WS, filter, op[1]);
    const value = ws2 && take(VALUE, filter, ws2[1]);
    if (!path || !value) return undefined;
    let parsed: EqClause["value"];
    try {
      parsed = JSON.parse(
        /^(true|false|null)$/i.test(value[0]) ? value[0].toLowerCase() : value[0],
      ) as EqClause["value"];
    } catch {
      throw scimError(400, "invalidFilter", `Filter value ${value[0]} is not a valid JSON string`);
    }
    clauses.push({ path: path[0], value: parsed, caseExact: isCaseExact(schema, path[0]) });
    at = take(WS, filter, value[1])?.[1] ?? value[1];
    if (at >= filter.length) return clauses;
    const and = take(AND, filter, at);
    const ws3 = and && take(WS, filter, and[1]);
    if (!ws3) return undefined;
    at = ws3[1];
  }
}

interface AttributeInfo {
  type?: string;
  config?: { caseExact?: boolean };
}

function attributeAt(schema: SCIMMY.Types.SchemaDefinition, path: string): AttributeInfo {
  try {
    return schema.attribute(path) as AttributeInfo;
  } catch {
    throw scimError(400, "invalidFilter", `Filter attribute '${path}' is not in the ${schema.name} schema`);
  }
}

function isCaseExact(schema: SCIMMY.Types.SchemaDefinition, path: string): boolean {
  const attribute = attributeAt(schema, path);
  if (!attribute.config || attribute.type === "complex") {
    throw scimError(400, "invalidFilter", `Filter attribute '${path}' is complex: compare one of its sub-attributes`);
  }
  return attribute.config.caseExact === true;
}

const OPERATORS = new Set(["eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le", "pr", "np"]);

/** scimmy's parser lets incomplete filters through ("userName eq" matches nothing); RFC 7644 wants invalidFilter. */
function checkExpression(
  expression: unknown,
  prefix: string,
  schema: SCIMMY.Types.SchemaDefinition,
  filter: string,
): void {
  const invalid = (why: string) => scimError(400, "invalidFilter", `Filter '${filter}' is not valid: ${why}`);
  if (typeof expression !== "object" || expression === null) throw invalid("unexpected token");
  for (const [name, term] of Object.entries(expression)) {
    const path = prefix ? `${prefix}.${name}` : name;
    attributeAt(schema, path);
    if (!Array.isArray(term)) {
      checkExpression(term, path, schema, filter);
      continue;
    }
    for (const comparison of (Array.isArray(term[0]) ? term : [term]) as unknown[][]) {
      const [op, ...values] = comparison[0] === "not" ? comparison.slice(1) : comparison;
      if (typeof op !== "string" || !OPERATORS.has(op.toLowerCase())) throw invalid(`unknown operator after '${path}'`);
      if (values.length !== (op === "pr" || op === "np" ? 0 : 1))
        throw invalid(`'${path} ${op}' needs exactly one value`);
    }
  }
}

/** Any other RFC 7644 filter, parsed and matched by scimmy (its comparisons are case-sensitive). */
export function parseOtherFilter(filter: string, schema: SCIMMY.Types.SchemaDefinition): SCIMMY.Types.Filter {
  if (/(^|\s)(and|or|not)\s*$/i.test(filter.trim())) {
    throw scimError(400, "invalidFilter", `Filter '${filter}' ends with a dangling logical operator`);
  }
  let parsed: SCIMMY.Types.Filter;
  try {
    parsed = new SCIMMY.Types.Filter(filter);
  } catch (ex) {
    if (ex instanceof SCIMMY.Types.Error) throw ex;
    throw scimError(400, "invalidFilter", `Filter '${filter}' cannot be parsed: ${(ex as Error).message}`);
  }
  for (const expression of parsed) checkExpression(expression, "", schema, filter);
  return parsed;
}

/** Every value found at a path; multi-valued attributes contribute each element, extension URNs are one segment. */
function valuesAt(resource: unknown, path: string): unknown[] {
  const urn = /^(urn:.+):([^:]+)$/i.exec(path);
  const segments = urn ? [urn[1] as string, ...(urn[2] as string).split(".")] : path.split(".");
  let current: unknown[] = [resource];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const item of current) {
      if (item === null || typeof item !== "object") continue;
      // Attribute names are case-insensitive (RFC 7643 §2.1); the exact spelling is the common, fast case.
      const direct = (item as Record<string, unknown>)[segment];
      const found =
        direct !== undefined
          ? direct
          : Object.entries(item).find(([k]) => k.toLowerCase() === segment.toLowerCase())?.[1];
      if (Array.isArray(found)) next.push(...found);
      else if (found !== undefined) next.push(found);
    }
    current = next;
  }
  return current;
}

export function matchesClause(resource: unknown, clause: EqClause): boolean {
  const want = typeof clause.value === "string" && !clause.caseExact ? clause.value.toLowerCase() : clause.value;
  const same = (v: unknown) => (typeof v === "string" && !clause.caseExact ? v.toLowerCase() : v) === want;
  // Fast path for a top-level single value (userName, externalId, active...): lists scan every user with it.
  const direct = (resource as Record<string, unknown>)[clause.path];
  if (direct !== undefined && direct !== null && typeof direct !== "object") return same(direct);
  const found = valuesAt(resource, clause.path);
  return want === null ? found.length === 0 : found.some(same);
}

export function matchesAll(resource: unknown, clauses: EqClause[]): boolean {
  return clauses.every((c) => matchesClause(resource, c));
}
