import type { Database } from "better-sqlite3";
import { listCycles, listEscrow } from "../db";
import { exportLog, logPage } from "../logs/log-view";
import type { SecretStore } from "../secrets/secret-store";
import type { ActiveProfile } from "./active-profile";
import { expressionFunctions } from "./expression-functions";
import { network } from "./load-network";
import type * as Network from "./network";
import { profileToJson } from "./profile-io";
import type { SecretsPresence } from "./secrets-presence";
import type { ProvisionDeskService } from "./types";

type Queries =
  "profile" | "profileView" | "exportProfile" | "connections" | "rules" | "logs" | "exportLogs" | "cycles" | "escrow";

/** What the window and the CLI read about the profile in use: the profile, its log, cycles and held objects. */
export function createQueries(deps: {
  db: Database;
  active: ActiveProfile;
  presence: SecretsPresence;
}): Pick<ProvisionDeskService, Queries> {
  const { db, active } = deps;
  return {
    profile: () => {
      active.sync();
      return active.profile;
    },
    profileView: () => {
      active.sync();
      return { profile: active.profile, revision: active.revision, problems: active.problems };
    },
    exportProfile: () => profileToJson(active.requireProfile()),
    connections: () => {
      active.sync();
      return { profile: active.profile, secrets: deps.presence.present };
    },
    rules: active.rules,
    logs: (query) => {
      active.sync();
      return logPage(db, active.profile?.name ?? null, query);
    },
    exportLogs: (filters, format, limit) => {
      active.sync();
      return exportLog(db, active.profile?.name ?? null, filters, format, new Date(), limit);
    },
    cycles: (limit) => {
      active.sync();
      return active.profile ? listCycles(db, active.profile.name, limit) : [];
    },
    escrow: () => {
      active.sync();
      return active.profile ? listEscrow(db, active.profile.name) : [];
    },
  };
}

type DraftQueries =
  | "testRules"
  | "previewScope"
  | "assignments"
  | "evaluateExpression"
  | "expressionFunctions"
  | "searchGroups"
  | "pickedGroups"
  | "searchUsers"
  | "groupMembers"
  | "sourceAttributes"
  | "targetAttributes"
  | "testDraftConnection";

/** The configuration screens' queries, loaded with the network code on first use. */
export function createDraftQueryForwarding(deps: {
  db: Database;
  dataDir: string;
  secrets: SecretStore;
  active: ActiveProfile;
}): Pick<ProvisionDeskService, DraftQueries> {
  let queries: ReturnType<typeof Network.createDraftQueries> | undefined;
  const draftQueries = async () =>
    (queries ??= (await network()).createDraftQueries({
      db: deps.db,
      dataDir: deps.dataDir,
      secrets: deps.secrets,
      requireProfile: deps.active.requireProfile,
    }));
  return {
    testRules: async (user, draft) => (await draftQueries()).testRules(user, draft),
    previewScope: async (draft, sample) => (await draftQueries()).previewScope(draft, sample),
    assignments: async (draft) => (await draftQueries()).assignments(draft),
    evaluateExpression: async (request) => (await draftQueries()).evaluateExpression(request),
    expressionFunctions,
    searchGroups: async (request) => (await draftQueries()).searchGroups(request),
    pickedGroups: async (refs, draft) => (await draftQueries()).pickedGroups(refs, draft),
    searchUsers: async (query, draft) => (await draftQueries()).searchUsers(query, draft),
    groupMembers: async (group) => (await draftQueries()).groupMembers(group),
    sourceAttributes: async (draft) => (await draftQueries()).sourceAttributes(draft),
    targetAttributes: async (draft) => (await draftQueries()).targetAttributes(draft),
    testDraftConnection: async (request) => (await draftQueries()).testDraftConnection(request),
  };
}
