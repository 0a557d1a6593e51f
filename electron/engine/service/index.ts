export { createEngineService, DATABASE_FILE, type EngineLogger, type EngineServiceOptions } from "./service";
export type { ProvisionDeskService, RuleProblem } from "./types";
export type { ProvisionOneResult, ProvisionStep } from "../cycle/provision-one";
export type { RulesTestReport } from "./rules-test";
export { EngineError, errorKind, type EngineErrorKind } from "./errors";
export {
  checkProfile,
  decodeProfileFile,
  formatProblems,
  hasErrors,
  jsonPath,
  parseProfileJson,
  profileJsonSchema,
  profileToJson,
  ProfileValidationError,
  zodProblems,
} from "./profile-io";
