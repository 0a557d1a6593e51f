export { runCycle } from "./run-cycle";
export { provisionOne } from "./provision-one";
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
