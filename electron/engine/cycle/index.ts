export { runCycle } from "./run-cycle";
export type { CycleDeps, CycleOptions, CycleResult, Plan, PlannedAction, PlannedMembership, PlannedFailure, AttributeChange } from "./types";
