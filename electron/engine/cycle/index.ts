export { runCycle } from "./run-cycle";
export { provisionOne } from "./provision-one";
export { provisionGroup } from "./provision-group";
export type { ProvisionGroupResult } from "./provision-group";
export { restartProvisioning } from "./restart";
export type { ProvisionOneResult, ProvisionStep } from "./provision-one";
export type {
  CycleDeps,
  CycleOptions,
  CycleResult,
  Plan,
  PlannedAction,
  PlannedMembership,
  PlannedFailure,
  AttributeChange,
} from "./types";
