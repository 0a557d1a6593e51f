// OData query options as Graph's directory endpoints implement them: $select (with a small
// default set), $top (1..999), a limited $filter, $expand=manager.

import { badRequest, unsupportedQuery } from "./errors";

export const MAX_TOP = 999;

/** Directory extension properties (extension_<appId without dashes>_<name>) can be selected on users. */
export const DIRECTORY_EXTENSION = /^extension_[0-9a-f]{32}_\w+$/i;

/** Canonical property names for $select, looked up case-insensitively as Graph does. */
export function parseSelect(
  raw: string | undefined,
  known: readonly string[],
  typeName: string,
  open?: RegExp,
): string[] | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const canonical = new Map(known.map((k) => [k.toLowerCase(), k]));
  return [
    ...new Set(
      raw
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => {
          const name = canonical.get(p.toLowerCase()) ?? (open?.test(p) ? p : undefined);
          if (!name) throw badRequest(`Could not find a property named '${p}' on type 'microsoft.graph.${typeName}'.`);
          return name;
        }),
    ),
  ];
}

export function parseTop(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TOP) {
    throw badRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_TOP} inclusive.`);
  }
  return n;
}

/** "$orderby=displayName desc" on the few properties Graph sorts without advanced queries; others are a 400. */
export function parseOrderBy<T>(
  raw: string | undefined,
  sortable: readonly string[],
  resource: string,
): ((a: T, b: T) => number) | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(raw);
  const prop = sortable.find((p) => p.toLowerCase() === m?.[1]?.toLowerCase());
  if (!m || !prop) throw unsupportedQuery(`Sorting by '${raw}' is not supported for resource '${resource}'.`);
  const sign = m[2]?.toLowerCase() === "desc" ? -1 : 1;
  const key = (x: T) => String((x as Record<string, unknown>)[prop] ?? "");
  return (a, b) => sign * key(a).localeCompare(key(b), "en", { sensitivity: "base" });
}

/** Copies the selected properties; Graph returns null for selected properties that are unset. */
export function project(rec: object, props: readonly string[]): Record<string, unknown> {
  const src = rec as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const p of props) out[p] = src[p] ?? null;
  return out;
}

export interface Expand {
  name: string;
  select?: string[];
}

/** "$expand=manager" or "$expand=manager($select=id,displayName)". */
export function parseExpand(raw: string | undefined, allowed: readonly string[]): Expand | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const m = /^\s*(\w+)\s*(?:\(\s*\$select=([^)]*)\))?\s*$/i.exec(raw);
  const name = m?.[1];
  if (!m || !name || !allowed.includes(name))
    throw badRequest(
      `Parsing OData Select and Expand failed: Could not find a property named '${raw}' that can be expanded.`,
    );
  return {
    name,
    select: m[2]
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

export interface FilterSpec {
  typeName: string;
  /** All properties of the type (an unknown one is a 400 Request_BadRequest). */
  known: readonly string[];
  /** Properties that support eq / in. */
  eq: readonly string[];
  /** Properties that support startswith(). */
  startsWith: readonly string[];
}

type Predicate = (rec: Record<string, unknown>) => boolean;
type Token = { kind: "str" | "word" | "punct"; text: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:'((?:[^']|'')*)'|([(),])|([^\s(),']+))/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    if (m[1] !== undefined) tokens.push({ kind: "str", text: m[1].replace(/''/g, "'") });
    else if (m[2] !== undefined) tokens.push({ kind: "punct", text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: "word", text: m[3] });
  }
  if (re.lastIndex < src.trimEnd().length)
    throw badRequest(`Invalid filter clause: syntax error at position ${re.lastIndex} in '${src}'.`);
  return tokens;
}

const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);

/** Parses and/or of: prop eq literal, prop in (...), startswith(prop,'x'). String comparisons ignore case. */
export function parseFilter(raw: string, spec: FilterSpec): Predicate {
  const tokens = tokenize(raw);
  let i = 0;
  const peek = () => tokens[i];
  const take = (): Token => {
    const t = tokens[i++];
    if (!t) throw badRequest(`Invalid filter clause: unexpected end of '${raw}'.`);
    return t;
  };
  const expect = (text: string) => {
    const t = take();
    if (t.text !== text) throw badRequest(`Invalid filter clause: expected '${text}' but found '${t.text}'.`);
  };
  const canonical = new Map(spec.known.map((k) => [k.toLowerCase(), k]));
  const property = (name: string, supported: readonly string[]): string => {
    const p = canonical.get(name.toLowerCase());
    if (!p) throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.${spec.typeName}'.`);
    if (!supported.includes(p)) {
      const resource = spec.typeName.charAt(0).toUpperCase() + spec.typeName.slice(1);
      throw unsupportedQuery(
        `Unsupported or invalid query filter clause specified for property '${p}' of resource '${resource}'.`,
      );
    }
    return p;
  };
  const literal = (): unknown => {
    const t = take();
    if (t.kind === "str") return t.text;
    if (t.text === "true" || t.text === "false") return t.text === "true";
    if (t.text === "null") return null;
    throw badRequest(`Invalid filter clause: '${t.text}' is not a literal.`);
  };
  const primary = (): Predicate => {
    const t = take();
    if (t.text === "(") {
      const inner = orExpr();
      expect(")");
      return inner;
    }
    if (t.kind !== "word") throw badRequest(`Invalid filter clause near '${t.text}'.`);
    if (peek()?.text === "(") {
      if (t.text.toLowerCase() !== "startswith") throw unsupportedQuery(`Unsupported function '${t.text}' in filter.`);
      expect("(");
      const prop = property(take().text, spec.startsWith);
      expect(",");
      const prefix = String(literal()).toLowerCase();
      expect(")");
      return (rec) => typeof rec[prop] === "string" && (rec[prop] as string).toLowerCase().startsWith(prefix);
    }
    const op = take().text.toLowerCase();
    if (op === "eq" || op === "ne") {
      const prop = property(t.text, spec.eq);
      const value = lower(literal());
      return op === "eq" ? (rec) => lower(rec[prop] ?? null) === value : (rec) => lower(rec[prop] ?? null) !== value;
    }
    if (op === "in") {
      const prop = property(t.text, spec.eq);
      expect("(");
      const values = new Set<unknown>();
      do values.add(lower(literal()));
      while (peek()?.text === "," && take());
      expect(")");
      return (rec) => values.has(lower(rec[prop] ?? null));
    }
    throw unsupportedQuery(`Unsupported filter operator '${op}'.`);
  };
  const andExpr = (): Predicate => {
    let left = primary();
    while (peek()?.text.toLowerCase() === "and") {
      take();
      const a = left;
      const b = primary();
      left = (rec) => a(rec) && b(rec);
    }
    return left;
  };
  const orExpr = (): Predicate => {
    let left = andExpr();
    while (peek()?.text.toLowerCase() === "or") {
      take();
      const a = left;
      const b = andExpr();
      left = (rec) => a(rec) || b(rec);
    }
    return left;
  };
  const predicate = orExpr();
  if (i < tokens.length) throw badRequest(`Invalid filter clause: unexpected '${tokens[i]?.text ?? ""}'.`);
  return predicate;
}
