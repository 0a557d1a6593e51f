// Public interface of the rules module (mappings, expressions, scoping) for the engine, IPC and CLI.
export { parseExpression } from "./expression/parser";
export type { ExprNode, ParseError, ParseResult } from "./expression/ast";
export { evaluateAst, evaluateExpression } from "./expression/evaluate";
export type { EvalError, EvalResult } from "./expression/evaluate";
export type { EvalContext } from "./expression/functions/types";
export { FUNCTIONS } from "./expression/functions/index";
export { validateExpression } from "./expression/validate";
export type { ExpressionProblem } from "./expression/validate";
export type { AppRoleAssignmentValue } from "./expression/values";
export { evaluateMapping, evaluateMappings, matchingAttributes } from "./mappings";
export type { MappingOptions, MappingResult, MappingsOutcome, MatchingAttribute } from "./mappings";
export { evaluateClause, evaluateScoping } from "./scoping";
export type { ClauseOutcome, ScopingDecision } from "./scoping";
export {
  findSourceAttribute,
  graphSelectFor,
  GROUP_ATTRIBUTES,
  isKnownSourceAttribute,
  referencedAttributes,
  sourceAttributes,
  USER_ATTRIBUTES,
} from "./source-attributes";
export type { SourceAttribute } from "./source-attributes";
export {
  defaultRules,
  GENERIC_TARGET,
  SOFT_DELETE_TO_ACTIVE,
  SPLASHTOP_TARGET,
  SSO_NAME_PLACEHOLDER,
  SSO_NAME_TARGET,
  targetAttributesFor,
} from "./splashtop-defaults";
export type { RulesPreset, TargetAttributes } from "./splashtop-defaults";
export { REDACTED, testMappings } from "./test-rules";
export type { AttributeTestResult, MappingsTestResult, TestRulesOptions } from "./test-rules";
export { validateRules } from "./validate-rules";
export type { RulesProblem, ValidateRulesOptions } from "./validate-rules";
