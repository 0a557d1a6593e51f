import type { EventName, EventOf } from "../../shared/ipc/contract";
import type { CycleSummary, Dashboard, LogEntry, ProfileList } from "../../shared/ipc/model";
import { ProfileSchema, type Profile } from "../../shared/config/profile";
import type { EngineService } from "../../electron/app/engine-port";
import type { PlanView } from "../../shared/ipc/plan-model";

/**
 * A test double of the engine for TRANSPORT tests only: it records every call so a test can prove a refused or invalid
 * request never reached the engine, and lets the test emit events. The end-to-end tests use the real engine.
 */
export type RecordingService = EngineService & {
  calls: { method: string; args: unknown[] }[];
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
  listenerCount(): number;
  /** Make the next call of `method` throw this. */
  failNext(method: keyof EngineService, error: unknown): void;
};

export const cycle: CycleSummary = {
  id: 7,
  kind: "incremental",
  dryRun: false,
  startedAt: "2026-11-29T10:00:00.000Z",
  endedAt: "2026-11-29T10:00:02.000Z",
  outcome: "succeeded",
  counts: {
    users: { create: 2, update: 1, disable: 0, delete: 0, stagedDelete: 0, skipped: 0, failed: 0 },
    groups: { create: 1, update: 0, disable: 0, delete: 0, stagedDelete: 0, skipped: 0, failed: 0 },
    memberships: { added: 2, removed: 0 },
  },
  requests: { graph: 4, target: 6 },
  durationMs: 2000,
  error: null,
};

export const dashboard: Dashboard = {
  profileName: "default",
  status: "idle",
  statusMessage: "Up to date",
  lastCycle: cycle,
  nextCycleAt: "2026-11-29T10:40:00.000Z",
  intervalMinutes: 40,
  progress: null,
  linked: { users: 2, groups: 1 },
};

export const logEntry: LogEntry = {
  id: 1,
  cycleId: 7,
  at: "2026-11-29T10:00:01.000Z",
  objectType: "user",
  sourceId: "u-1",
  targetId: "t-1",
  displayName: "Adele Vance",
  action: "Create",
  status: "Success",
  modified: [{ attribute: "userName", old: null, new: "adele@contoso.test" }],
  steps: [{ name: "Create", status: "Success", detail: "POST /Users 201" }],
  errorCode: null,
  message: null,
  recommendation: null,
  requestIds: ["req-1"],
};

export const profile: Profile = ProfileSchema.parse({
  source: { tenantId: "t", clientId: "c", appId: "a" },
  target: { tenantUrl: "https://my.splashtop.com/scim/v1", ssoMethodName: "Acme SSO" },
});
const plan: PlanView = {
  id: "plan-1",
  cycleId: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  outcome: "succeeded",
  sourceState: { users: "", groups: "" },
  items: [],
  failures: [],
  totals: { create: 0, update: 0, disable: 0, delete: 0, heldDelete: 0, memberAdd: 0, memberRemove: 0 },
};

const profiles: ProfileList = {
  active: "default",
  profiles: [{ name: "default", revision: 3, updatedAt: "2026-11-29T09:00:00.000Z" }],
};
const noRules = { mappings: [], scopingFilters: [] };

export function createRecordingService(): RecordingService {
  const calls: RecordingService["calls"] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const failures = new Map<string, unknown>();
  const record = (method: keyof EngineService, ...args: unknown[]) => {
    calls.push({ method, args });
    if (failures.has(method)) {
      const error = failures.get(method);
      failures.delete(method);
      throw error;
    }
  };
  return {
    calls,
    failNext: (method, error) => void failures.set(method, error),
    emit: (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload)),
    listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
    dashboard: () => (record("dashboard"), dashboard),
    provisionNow: async (options) => (record("provisionNow", options), { ...cycle, dryRun: options.dryRun }),
    setPaused: (paused) => (record("setPaused", paused), { ...dashboard, status: paused ? "paused" : "idle" }),
    cancel: () => (record("cancel"), dashboard),
    restart: () => (record("restart"), dashboard),
    retryNow: async () => (record("retryNow"), cycle),
    retryEscrowed: async (type, sourceId) => (record("retryEscrowed", type, sourceId), cycle),
    previewPlan: async (allowDeletes) => (record("previewPlan", allowDeletes), plan),
    getPlan: (ref, filters) => (record("getPlan", ref, filters), plan),
    applyPlan: async (planId, approval) => (
      record("applyPlan", planId, approval),
      { status: "applied", summary: cycle }
    ),
    provisionOne: async (user) => (
      record("provisionOne", user),
      { steps: [], action: null, entry: null, groups: [], cycleId: 1, failureKind: null }
    ),
    provisionGroup: async (group, members) => (
      record("provisionGroup", group, members),
      { steps: [], action: null, entry: null, group: null, choice: null, members: [], cycleId: 1, failureKind: null }
    ),
    exportPlanCsv: (planId) => (record("exportPlanCsv", planId), { filename: "plan.csv", content: "item id\r\n" }),
    connections: () => (
      record("connections"),
      {
        profile: { ...profile, source: { ...profile.source, clientSecret: "s3cr3t-value" } } as Profile,
        secrets: { clientSecret: true, scimToken: false, smtpPassword: false },
      }
    ),
    setSecret: async (name) => void record("setSecret", name),
    testConnection: async (side) => (
      record("testConnection", side),
      [{ name: `${side}: token`, ok: true, message: "Signed in" }]
    ),
    rules: () => (record("rules"), { rules: { users: noRules, groups: noRules }, problems: [] }),
    listProfiles: () => (record("listProfiles"), profiles),
    selectProfile: async (name) => (record("selectProfile", name), { ...profiles, active: name }),
    renameProfile: async (from, to) => (record("renameProfile", from, to), profiles),
    deleteProfile: async (name) => (record("deleteProfile", name), profiles),
    profileView: () => (record("profileView"), { profile, revision: 3, problems: [] }),
    saveProfile: async (input, baseRevision) => (
      record("saveProfile", input, baseRevision),
      { status: "saved", revision: 4, problems: [] }
    ),
    testRules: async (user, draft) => (
      record("testRules", user, draft),
      {
        user: { id: "u-1", userPrincipalName: user, displayName: "Ada" },
        scope: {
          inScope: true,
          isSoftDeleted: false,
          reason: "in scope",
          steps: [{ step: "assignment", outcome: "pass", message: "Assigned to the app directly." }],
        },
        attributes: [{ target: "userName", type: "Direct", status: "value", value: user, matchingPrecedence: 1 }],
        wouldProvision: true,
        problems: [],
      }
    ),
    logs: (query) => (record("logs", query), { entries: [logEntry], nextCursor: null, total: 1 }),
    exportLogs: (filters, format) => (
      record("exportLogs", filters, format),
      { filename: `log.${format}`, content: "", count: 0 }
    ),
    sendTestAlert: async () => (record("sendTestAlert"), { to: ["admin@example.com"], messageId: null }),
    previewScope: async (draft, sample) => (
      record("previewScope", draft, sample),
      { status: "invalid", problems: [{ path: "$.source", severity: "error", message: "Required" }] }
    ),
    assignments: async (draft) => (
      record("assignments", draft),
      { app: { servicePrincipalId: "sp-1", displayName: "Splashtop" }, users: [], groups: [] }
    ),
    evaluateExpression: async (request) => (
      record("evaluateExpression", request),
      { status: "value", value: "Ada", redacted: false, ignoreFlow: false }
    ),
    expressionFunctions: () => (
      record("expressionFunctions"),
      [{ name: "Join", signature: "Join(separator, source1, …)", help: "Joins.", minArgs: 2, maxArgs: null }]
    ),
    searchGroups: async (request) => (record("searchGroups", request), { groups: [], nextCursor: null }),
    pickedGroups: async (refs, draft) => (
      record("pickedGroups", refs, draft),
      refs.map((ref) => ({ ref, id: null, displayName: null, memberCount: null }))
    ),
    searchUsers: async (query, draft) => (record("searchUsers", query, draft), []),
    groupMembers: async (group) => (record("groupMembers", group), { members: [], userMembers: 0, otherMembers: 0 }),
    sourceAttributes: async (draft) => (
      record("sourceAttributes", draft),
      { users: [], groups: [], extensions: { discovered: false, message: "" } }
    ),
    targetAttributes: async (draft) => (
      record("targetAttributes", draft),
      {
        source: "preset",
        users: { attributes: [], required: [], matchable: [] },
        groups: { attributes: [], required: [], matchable: [] },
        message: null,
      }
    ),
    testDraftConnection: async (request) => (
      record("testDraftConnection", request),
      [{ name: "Token and tenant URL", ok: true, message: "Accepted." }]
    ),
    cycles: (limit) => (record("cycles", limit), [cycle]),
    escrow: () => (record("escrow"), []),
    browseTarget: async (limit) => (
      record("browseTarget", limit),
      { users: [], groups: [], totalUsers: 0, totalGroups: 0 }
    ),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}
