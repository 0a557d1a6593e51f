// Everything that talks to Entra ID or the target, loaded only when a command needs it: status, logs and
// configuration commands then start without loading msal, the HTTP stack and the cycle.
export { checkSource } from "../source";
export { openSource, openTarget } from "./clients";
export { runEngineCycle, runProvisionGroup, runProvisionOne } from "./cycle-runner";
export { runRulesTest } from "./rules-test";
export { createDraftQueries } from "./draft-queries";
export { browseTarget } from "./target-browse";
