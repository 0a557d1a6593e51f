// "Test these rules on one user": every target attribute with its value or error. The scope decision is not made
// here but by the engine's one decision (cycle/scope.ts), which knows assignment and groups as well as the filters.
import type { AttributeMapping, ObjectRules } from "../../../shared/config/mappings";
import type { EvalError } from "./expression/evaluate";
import type { EvalContext } from "./expression/functions/types";
import type { MappingResult } from "./mappings";
import { evaluateMapping } from "./mappings";

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

export interface MappingsTestResult {
  attributes: AttributeTestResult[];
  /** Some mapping failed: the object would not flow. */
  failed: boolean;
}

export const REDACTED = "[Redact]";

/** Every mapping of `rules` on one object as Entra's mappings see it (IsSoftDeleted included). */
export function testMappings(
  rules: ObjectRules,
  source: Record<string, unknown>,
  options: TestRulesOptions = {},
): MappingsTestResult {
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
  return { attributes, failed: attributes.some((a) => a.status === "error") };
}
