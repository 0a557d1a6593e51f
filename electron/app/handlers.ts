import type { EngineService } from "./engine-port";
import type { Handlers } from "./dispatcher";

/** The contract mapped onto the engine: one line per method, so both transports share one implementation. */
export function createHandlers(service: EngineService): Handlers {
  return {
    "dashboard.get": () => service.dashboard(),
    "sync.provisionNow": (request) => service.provisionNow(request),
    "sync.setPaused": ({ paused }) => service.setPaused(paused),
    "connections.get": () => service.connections(),
    "connections.setSecret": async ({ name, value }) => {
      await service.setSecret(name, value);
      return service.connections();
    },
    "connections.test": ({ side }) => service.testConnection(side),
    "mappings.get": () => service.rules(),
    "rules.test": ({ user, draft }) => service.testRules(user, draft),
    "scope.preview": ({ draft, sample }) => service.previewScope(draft, sample),
    "scope.assignments": ({ draft }) => service.assignments(draft),
    "expression.evaluate": (request) => service.evaluateExpression(request),
    "expression.functions": () => service.expressionFunctions(),
    "directory.searchGroups": (request) => service.searchGroups(request),
    "directory.searchUsers": ({ query, draft }) => service.searchUsers(query, draft),
    "directory.attributes": ({ draft }) => service.sourceAttributes(draft),
    "target.attributes": ({ draft }) => service.targetAttributes(draft),
    "connections.testDraft": (request) => service.testDraftConnection(request),
    "log.list": ({ cycleId, limit }) => service.logs(cycleId === undefined ? { limit } : { cycleId, limit }),
    "cycles.list": ({ limit }) => service.cycles(limit),
    "target.browse": ({ limit }) => service.browseTarget(limit),
  };
}
