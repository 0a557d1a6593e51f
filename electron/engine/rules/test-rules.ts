// "Test these rules on one user": scope decision with the deciding clause, and every target
// attribute with its value or error. Used by the IPC "rules test" and `provision-desk rules test`.
import type { AttributeMapping, ObjectRules } from "../../../shared/config/mappings";
import type { EvalError } from "./expression/evaluate";
import type { EvalContext } from "./expression/functions/types";
import type { MappingResult } from "./mappings";
import { evaluateMapping } from "./mappings";
import type { ScopingDecision } from "./scoping";
import { evaluateScoping } from "./scoping";

export interface TestRulesOptions {
  /** Evaluate as a create (default) or as an update of an existing target object. */
  isCreate?: boolean;
  context?: EvalContext;
  /** Show Redact()ed values (default false: they show as "[Redact]"). */
  revealRedacted?: boolean;
}

export interface AttributeTestResult {
  target: string;
  type: AttributeMapping["type"];
  apply: AttributeMapping["apply"];
  matchingPrecedence?: number;
  status: MappingResult["status"];
  value?: unknown;
  usedDefault?: boolean;
  skippedBecause?: "OnCreate" | "None" | "IgnoreFlow";
  error?: EvalError;
}

export interface RulesTestResult {
  scope: ScopingDecision;
  attributes: AttributeTestResult[];
  /** True when the object would flow: in scope and no mapping failed. */
  wouldProvision: boolean;
}

export const REDACTED = "[Redact]";

export function testRules(
  rules: ObjectRules,
  source: Record<string, unknown>,
  options: TestRulesOptions = {},
): RulesTestResult {
  const scope = evaluateScoping(rules.scopingFilters, source);
  const mappingOptions = {
    isCreate: options.isCreate ?? true,
    ...(options.context ? { context: options.context } : {}),
  };
  const attributes = rules.mappings.map((mapping): AttributeTestResult => {
    const r = evaluateMapping(mapping, source, mappingOptions);
    const base = {
      target: mapping.target,
      type: mapping.type,
      apply: mapping.apply,
      status: r.status,
      ...(mapping.matching ? { matchingPrecedence: mapping.matching.precedence } : {}),
    };
    switch (r.status) {
      case "value":
        return {
          ...base,
          value: r.redacted && !options.revealRedacted ? REDACTED : r.value,
          usedDefault: r.usedDefault,
        };
      case "null":
        return { ...base, value: null };
      case "skipped":
        return { ...base, skippedBecause: r.reason };
      case "error":
        return { ...base, error: r.error };
    }
  });
  return { scope, attributes, wouldProvision: scope.inScope && attributes.every((a) => a.status !== "error") };
}
