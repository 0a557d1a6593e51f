// Save-time checks of a profile's rules. Every problem names the JSON path of the setting to fix
// and says what to do; "error" problems block saving or running, "warning" ones do not.
import type { ObjectRules, ObjectType, Rules, ScopingFilter } from "../../../shared/config/mappings";
import { UNARY_SCOPING_OPERATORS } from "../../../shared/config/mappings";
import { parseExpression } from "./expression/parser";
import { similar, validateExpression } from "./expression/validate";
import { compileSafeRegex } from "./safe-regex";
import { findSourceAttribute, isKnownSourceAttribute, sourceAttributes } from "./source-attributes";
import type { RulesPreset, TargetAttributes } from "./splashtop-defaults";
import { SSO_NAME_PLACEHOLDER, SSO_NAME_TARGET, targetAttributesFor } from "./splashtop-defaults";

export interface RulesProblem {
  /** JSON path into the profile, e.g. `rules.users.mappings[6].value`. */
  path: string;
  severity: "error" | "warning";
  code: string;
  message: string;
  /** Offset inside an expression, when the problem is in one. */
  position?: number;
}

export interface ValidateRulesOptions {
  preset: RulesPreset;
  /** What the target supports, per object type; defaults to the preset's. */
  target?: Partial<Record<ObjectType, TargetAttributes>>;
  /** Where the rules sit in the profile (default "rules"). */
  pathPrefix?: string;
}

const LABEL: Record<ObjectType, string> = { users: "user", groups: "group" };

export function validateRules(rules: Rules, options: ValidateRulesOptions): RulesProblem[] {
  const problems: RulesProblem[] = [];
  const prefix = options.pathPrefix ?? "rules";
  for (const objectType of ["users", "groups"] as const) {
    const target = options.target?.[objectType] ?? targetAttributesFor(options.preset)[objectType];
    // A group rule set without mappings means group provisioning is off.
    if (objectType === "groups" && rules.groups.mappings.length === 0) continue;
    validateObjectRules(rules[objectType], objectType, target, options.preset, `${prefix}.${objectType}`, problems);
  }
  return problems;
}

function validateObjectRules(
  rules: ObjectRules,
  objectType: ObjectType,
  target: TargetAttributes,
  preset: RulesPreset,
  path: string,
  problems: RulesProblem[],
): void {
  const add = (p: string, severity: RulesProblem["severity"], code: string, message: string, position?: number) =>
    problems.push({ path: p, severity, code, message, ...(position !== undefined ? { position } : {}) });
  const kind = LABEL[objectType];
  const names = sourceAttributes(objectType).map((a) => a.name);
  const seenTargets = new Map<string, number>();

  rules.mappings.forEach((m, i) => {
    const at = `${path}.mappings[${i}]`;
    const previous = seenTargets.get(m.target);
    if (previous !== undefined)
      add(
        `${at}.target`,
        "error",
        "duplicateTarget",
        `${m.target} is mapped twice (mappings ${previous + 1} and ${i + 1}); remove one.`,
      );
    seenTargets.set(m.target, i);
    if (target.knownAttributes && !target.knownAttributes.includes(m.target)) {
      add(
        `${at}.target`,
        "warning",
        "unsupportedTarget",
        `The target does not list ${m.target} among its ${kind} attributes and may ignore it. Supported: ${target.knownAttributes.join(", ")}.`,
      );
    }
    if (m.type === "Direct" && m.source && !isKnownSourceAttribute(objectType, m.source)) {
      const suggestions = similar(m.source, names);
      add(
        `${at}.source`,
        "error",
        "unknownAttribute",
        `"${m.source}" is not an Entra ${kind} attribute${suggestions.length ? `; did you mean ${suggestions.join(" or ")}?` : "."}`,
      );
    }
    if (m.type === "Expression" && m.expression !== undefined) {
      for (const p of validateExpression(m.expression, {
        isKnownAttribute: (n) => isKnownSourceAttribute(objectType, n),
        attributeNames: names,
      })) {
        add(`${at}.expression`, "error", p.code, `Line ${p.line}, column ${p.column}: ${p.message}`, p.position);
      }
      const parsed = parseExpression(m.expression);
      if (parsed.ok && parsed.ast.type === "Call" && parsed.ast.name === "SelectUniqueValue") {
        if (m.matching)
          add(
            `${at}.matching`,
            "error",
            "uniqueValueMatching",
            "SelectUniqueValue cannot be used on a matching attribute.",
          );
        if (m.apply !== "OnCreate")
          add(
            `${at}.apply`,
            "warning",
            "uniqueValueAlways",
            `SelectUniqueValue is meant for new objects: set "apply" to OnCreate.`,
          );
      }
    }
    if (m.matching) {
      if (!target.filterableAttributes.includes(m.target)) {
        add(
          `${at}.matching`,
          "error",
          "notFilterable",
          `${m.target} cannot be a matching attribute: the target can only look ${kind}s up by ${target.filterableAttributes.join(" or ")}.`,
        );
      }
      if (m.type === "None")
        add(
          `${at}.matching`,
          "error",
          "matchingWithoutValue",
          `A matching attribute needs a value: ${m.target} has mapping type None.`,
        );
    }
    if (preset === "splashtop" && m.target === SSO_NAME_TARGET && m.type === "Constant") {
      const value = (m.value ?? "").trim();
      if (value === "" || value === SSO_NAME_PLACEHOLDER) {
        add(
          `${at}.value`,
          "error",
          "ssoNamePlaceholder",
          `Splashtop's ssoName is still ${value === "" ? "empty" : `the placeholder "${SSO_NAME_PLACEHOLDER}"`}: Splashtop rejects every user until it is the exact name of your Splashtop SSO method (spaces included). Enter that name in Settings.`,
        );
      } else if (value !== m.value) {
        add(
          `${at}.value`,
          "warning",
          "ssoNameWhitespace",
          `Splashtop's ssoName "${m.value}" starts or ends with a space; Splashtop needs the SSO method's exact name, so check that the space belongs to it.`,
        );
      }
    }
  });

  const matching = rules.mappings.map((m, i) => ({ m, i })).filter(({ m }) => m.matching);
  if (matching.length === 0) {
    add(
      `${path}.mappings`,
      "error",
      "noMatchingAttribute",
      `No ${kind} mapping is a matching attribute, so existing ${kind}s in the target cannot be found. Mark one (usually ${target.filterableAttributes[0] ?? "userName"}) as matching.`,
    );
  }
  const precedences = new Map<number, number>();
  for (const { m, i } of matching) {
    const other = precedences.get(m.matching!.precedence);
    if (other !== undefined)
      add(
        `${path}.mappings[${i}].matching.precedence`,
        "error",
        "duplicatePrecedence",
        `Matching precedence ${m.matching!.precedence} is used by mappings ${other + 1} and ${i + 1}; give each a different number.`,
      );
    precedences.set(m.matching!.precedence, i);
  }
  for (const required of target.requiredAttributes) {
    if (!rules.mappings.some((m) => m.target === required)) {
      add(
        `${path}.mappings`,
        "error",
        "requiredNotMapped",
        `The target requires ${required} for every ${kind}, but no mapping sets it. Add a mapping for ${required}.`,
      );
    }
  }
  rules.scopingFilters.forEach((f, fi) => validateFilter(f, objectType, `${path}.scopingFilters[${fi}]`, add));
}

function validateFilter(
  filter: ScopingFilter,
  objectType: ObjectType,
  path: string,
  add: (p: string, s: RulesProblem["severity"], code: string, message: string) => void,
): void {
  filter.clauses.forEach((c, ci) => {
    const at = `${path}.clauses[${ci}]`;
    const attr = findSourceAttribute(objectType, c.attribute);
    if (!attr) {
      const suggestions = similar(
        c.attribute,
        sourceAttributes(objectType).map((a) => a.name),
      );
      add(
        `${at}.attribute`,
        "error",
        "unknownAttribute",
        `"${c.attribute}" is not an Entra ${LABEL[objectType]} attribute${suggestions.length ? `; did you mean ${suggestions.join(" or ")}?` : "."}`,
      );
    } else if (attr.multiValued || attr.type === "Reference") {
      add(
        `${at}.attribute`,
        "error",
        "notScopable",
        `Scoping filters cannot test ${c.attribute}: multi-valued attributes, manager and group membership are not filterable.`,
      );
    }
    const unary = UNARY_SCOPING_OPERATORS.includes(c.operator);
    if (!unary && c.value === undefined)
      add(`${at}.value`, "error", "missingValue", `${c.operator.replaceAll("_", " ")} needs a value to compare with.`);
    if (unary && c.value)
      add(
        `${at}.value`,
        "warning",
        "ignoredValue",
        `${c.operator.replaceAll("_", " ")} takes no value; "${c.value}" is ignored.`,
      );
    if (
      (c.operator === "GREATER_THAN" || c.operator === "GREATER_THAN_OR_EQUALS") &&
      c.value !== undefined &&
      !/^-?\d+$/.test(c.value.trim())
    ) {
      add(
        `${at}.value`,
        "error",
        "notInteger",
        `${c.operator.replaceAll("_", " ")} compares integers, and "${c.value}" is not one.`,
      );
    }
    if ((c.operator === "REGEX_MATCH" || c.operator === "NOT_REGEX_MATCH") && c.value !== undefined) {
      const compiled = compileSafeRegex(c.value);
      if (!compiled.ok) add(`${at}.value`, "error", "invalidRegex", compiled.message);
    }
  });
}
