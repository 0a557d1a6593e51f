import type { EngineService } from "./engine-port";
import type { Handlers } from "./dispatcher";

/** Start at login as the OS keeps it: only Electron has one, so browser mode passes none. */
export interface LoginItem {
  get(): boolean;
  set(enabled: boolean): void;
}

/** The contract mapped onto the engine: one line per method, so both transports share one implementation. */
export function createHandlers(service: EngineService, loginItem?: LoginItem): Handlers {
  return {
    "dashboard.get": () => service.dashboard(),
    "sync.provisionNow": (request) => service.provisionNow(request),
    "sync.setPaused": ({ paused }) => service.setPaused(paused),
    "sync.cancel": () => service.cancel(),
    "sync.restart": () => service.restart(),
    "sync.retryNow": () => service.retryNow(),
    "plan.preview": ({ allowDeletes }) => service.previewPlan(allowDeletes),
    "plan.get": ({ planId, cycleId, filters }) => service.getPlan({ planId, cycleId }, filters),
    "plan.apply": ({ planId, approved, rejected }) => service.applyPlan(planId, { approved, rejected }),
    "plan.exportCsv": ({ planId }) => service.exportPlanCsv(planId),
    "provision.one": ({ user }) => service.provisionOne(user),
    "provision.group": ({ group, members }) => service.provisionGroup(group, members),
    "provision.groupMembers": ({ group }) => service.groupMembers(group),
    "connections.get": () => service.connections(),
    "connections.setSecret": async ({ name, value, profile }) => {
      await service.setSecret(name, value, profile);
      return service.connections();
    },
    "connections.test": ({ side }) => service.testConnection(side),
    "mappings.get": () => service.rules(),
    "profiles.list": () => service.listProfiles(),
    "profiles.select": ({ name }) => service.selectProfile(name),
    "profiles.rename": ({ from, to }) => service.renameProfile(from, to),
    "profiles.delete": ({ name }) => service.deleteProfile(name),
    "app.loginItem": ({ enabled }) => {
      if (!loginItem) return { supported: false, enabled: false };
      if (enabled !== undefined) loginItem.set(enabled);
      return { supported: true, enabled: loginItem.get() };
    },
    "profile.get": () => service.profileView(),
    "profile.save": ({ profile, baseRevision }) => service.saveProfile(profile, baseRevision),
    "rules.test": ({ user, draft }) => service.testRules(user, draft),
    "scope.preview": ({ draft, sample }) => service.previewScope(draft, sample),
    "scope.assignments": ({ draft }) => service.assignments(draft),
    "expression.evaluate": (request) => service.evaluateExpression(request),
    "expression.functions": () => service.expressionFunctions(),
    "directory.searchGroups": (request) => service.searchGroups(request),
    "directory.groups": ({ refs, draft }) => service.pickedGroups(refs, draft),
    "directory.searchUsers": ({ query, draft }) => service.searchUsers(query, draft),
    "directory.attributes": ({ draft }) => service.sourceAttributes(draft),
    "target.attributes": ({ draft }) => service.targetAttributes(draft),
    "connections.testDraft": (request) => service.testDraftConnection(request),
    "log.list": (query) => service.logs(query),
    "log.export": ({ filters, format }) => service.exportLogs(filters, format),
    "alerts.sendTest": () => service.sendTestAlert(),
    "cycles.list": ({ limit }) => service.cycles(limit),
    "escrow.list": () => service.escrow(),
    "escrow.retry": ({ type, sourceId }) => service.retryEscrowed(type, sourceId),
    "target.browse": ({ limit }) => service.browseTarget(limit),
  };
}
