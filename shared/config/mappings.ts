// Attribute mappings and scoping filters as stored in a profile: the same model as Entra's
// "Attribute Mapping" blade, so an admin can carry their Entra configuration over unchanged.
import { z } from "zod";

export const MAPPING_TYPES = ["Direct", "Constant", "Expression", "None"] as const;
export const APPLY_MODES = ["Always", "OnCreate"] as const;
/** Entra limits an expression to 10,000 characters. */
export const MAX_EXPRESSION_LENGTH = 10_000;

/** The mapping's fields without cross-field checks, for forms that need `.partial()` or `.extend()`. */
export const AttributeMappingBaseSchema = z.strictObject({
  type: z.enum(MAPPING_TYPES),
  /** Entra source attribute name (Direct). */
  source: z.string().min(1).optional(),
  /** Constant value (Constant). */
  value: z.string().optional(),
  expression: z.string().max(MAX_EXPRESSION_LENGTH).optional(),
  /** SCIM path, e.g. `name.givenName` or `emails[type eq "work"].value`. */
  target: z.string().min(1),
  apply: z.enum(APPLY_MODES).default("Always"),
  /** Used on create only, when the mapping yields null (Entra's "Default value if null"). */
  defaultValue: z.string().optional(),
  matching: z.strictObject({ precedence: z.number().int().min(1) }).optional(),
});

export const AttributeMappingSchema = AttributeMappingBaseSchema.superRefine((m, ctx) => {
  const need = { Direct: "source", Constant: "value", Expression: "expression", None: undefined }[m.type];
  if (need && m[need as "source" | "value" | "expression"] === undefined) {
    ctx.addIssue({ code: "custom", path: [need], message: `A ${m.type} mapping needs "${need}".` });
  }
});

/**
 * Scoping operators with readable names; Entra's own spellings ("NOT EQUALS", "Greater_Than",
 * "REGEX MATCH", "&", "!&", ...) are accepted on input and normalised.
 * "&" / "!&" are Entra's "attribute present" / "absent" tests (IS_PRESENT / IS_NOT_PRESENT).
 */
export const SCOPING_OPERATORS = [
  "EQUALS",
  "NOT_EQUALS",
  "ENDS_WITH",
  "INCLUDES",
  "GREATER_THAN",
  "GREATER_THAN_OR_EQUALS",
  "IS_TRUE",
  "IS_FALSE",
  "IS_NULL",
  "IS_NOT_NULL",
  "REGEX_MATCH",
  "NOT_REGEX_MATCH",
  "IS_PRESENT",
  "IS_NOT_PRESENT",
] as const;
export type ScopingOperator = (typeof SCOPING_OPERATORS)[number];
/** Operators that take no value. */
export const UNARY_SCOPING_OPERATORS: readonly ScopingOperator[] = [
  "IS_TRUE",
  "IS_FALSE",
  "IS_NULL",
  "IS_NOT_NULL",
  "IS_PRESENT",
  "IS_NOT_PRESENT",
];

const OPERATOR_ALIASES: Record<string, ScopingOperator> = { "&": "IS_PRESENT", "!&": "IS_NOT_PRESENT" };

/** Maps Entra's spellings onto SCOPING_OPERATORS; returns the input unchanged when unknown. */
export function normalizeScopingOperator(input: string): string {
  const trimmed = input.trim();
  return OPERATOR_ALIASES[trimmed] ?? trimmed.toUpperCase().replace(/[\s-]+/g, "_");
}

export const ScopingClauseSchema = z.strictObject({
  attribute: z.string().min(1),
  operator: z.preprocess((v) => (typeof v === "string" ? normalizeScopingOperator(v) : v), z.enum(SCOPING_OPERATORS)),
  value: z.string().optional(),
});

export const ScopingFilterSchema = z.strictObject({
  title: z.string().optional(),
  clauses: z.array(ScopingClauseSchema).min(1),
});

export const ObjectRulesSchema = z.strictObject({
  mappings: z.array(AttributeMappingSchema),
  scopingFilters: z.array(ScopingFilterSchema).default([]),
});

export const RulesSchema = z.strictObject({ users: ObjectRulesSchema, groups: ObjectRulesSchema });

export type AttributeMapping = z.infer<typeof AttributeMappingSchema>;
export type AttributeMappingInput = z.input<typeof AttributeMappingSchema>;
export type ScopingClause = z.infer<typeof ScopingClauseSchema>;
export type ScopingFilter = z.infer<typeof ScopingFilterSchema>;
export type ObjectRules = z.infer<typeof ObjectRulesSchema>;
export type Rules = z.infer<typeof RulesSchema>;
export type RulesInput = z.input<typeof RulesSchema>;
export type ObjectType = "users" | "groups";
