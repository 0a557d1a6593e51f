// Test world: the Graph emulator (Entra) and the SCIM emulator (Splashtop) wired to a real engine and an in-memory state database.
import type { Database } from "better-sqlite3";
import { openDatabase } from "../../../electron/engine/db";
import { runCycle } from "../../../electron/engine/cycle";
import type { CycleOptions, CycleResult } from "../../../electron/engine/cycle";
import { createHttpClient, type RetryEvent } from "../../../electron/engine/http";
import { defaultRules } from "../../../electron/engine/rules";
import { createGraphClient, createTokenProvider, type GraphClient } from "../../../electron/engine/source";
import { createScimClient, type ScimClient } from "../../../electron/engine/target";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  generateDirectory,
  startGraphEmulator,
  type GraphEmulator,
} from "../../../electron/emulators/graph";
import { startScimServer, type ScimServer, type ScimServerOptions } from "../../../electron/emulators/scim";
import { ProfileSchema, type Profile, type ProfileInput } from "../../../shared/config/profile";
import type { Rules } from "../../../shared/config/mappings";

export const SSO = "Acme SSO";

export interface World {
  graphEmu: GraphEmulator;
  scimSrv: ScimServer;
  graph: GraphClient;
  scim: ScimClient;
  db: Database;
  profile: Profile;
  rules: Rules;
  run(options?: Partial<CycleOptions>): Promise<CycleResult>;
  close(): Promise<void>;
}

export interface WorldOptions {
  users?: number;
  seed?: number;
  scim?: ScimServerOptions;
  profile?: Partial<Omit<ProfileInput, "source" | "target">> & {
    target?: Partial<ProfileInput["target"]>;
    source?: Partial<ProfileInput["source"]>;
  };
  rules?: Rules;
  db?: Database;
  /** Graph page size (Graph's default is 100). */
  pageSize?: number;
  dialect?: "entra" | "rfc7644";
  /** Told of every retry the HTTP layer makes, per side. */
  onRetry?: (side: "graph" | "target", event: RetryEvent) => void;
  /** Per-attempt timeout of the target's HTTP client (default 30 s). */
  targetTimeoutMs?: number;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const seed = options.seed ?? 7;
  const graphEmu = await startGraphEmulator({
    directory: generateDirectory({ seed, users: options.users ?? 60 }),
    seed,
    pageSize: options.pageSize ?? 100,
  });
  const scimSrv = await startScimServer({ token: "scim-token", ...options.scim });
  const fastRetries = { baseDelayMs: 5, maxDelayMs: 50, maxRetries: 8 };
  const graphHttp = createHttpClient({
    caPem: graphEmu.caPem,
    ...fastRetries,
    onRetry: (e) => options.onRetry?.("graph", e),
  });
  const tokens = createTokenProvider({
    tenantId: graphEmu.tenantId,
    clientId: DEFAULT_CLIENT_ID,
    cloud: { authorityHost: graphEmu.authorityHost, graphBaseUrl: graphEmu.graphBaseUrl },
    credential: { clientSecret: DEFAULT_CLIENT_SECRET },
    caPem: graphEmu.caPem,
  });
  const graph = createGraphClient({ graphBaseUrl: graphEmu.graphBaseUrl, tokens, http: graphHttp });
  const scimHttp = createHttpClient({
    concurrency: 8,
    ...fastRetries,
    ...(options.targetTimeoutMs ? { timeoutMs: options.targetTimeoutMs } : {}),
    onRetry: (e) => options.onRetry?.("target", e),
  });
  const scim = createScimClient({
    tenantUrl: scimSrv.tenantUrl,
    token: scimSrv.token,
    dialect: options.dialect ?? "entra",
    preset: "splashtop",
    http: scimHttp,
  });
  const profile = ProfileSchema.parse({
    ...options.profile,
    name: "test",
    source: {
      tenantId: graphEmu.tenantId,
      clientId: DEFAULT_CLIENT_ID,
      appId: graphEmu.appId,
      ...options.profile?.source,
    },
    target: {
      tenantUrl: scimSrv.tenantUrl,
      ssoMethodName: SSO,
      dialect: options.dialect ?? "entra",
      requestsPerSecond: 1000,
      concurrency: 8,
      ...options.profile?.target,
    },
  });
  const rules = options.rules ?? defaultRules("splashtop", SSO);
  const db = options.db ?? openDatabase(":memory:");
  return {
    graphEmu,
    scimSrv,
    graph,
    scim,
    db,
    profile,
    rules,
    run: (o = {}) =>
      runCycle({ db, profile, rules, graph, scim }, { dryRun: false, full: false, allowDeletes: false, ...o }),
    async close() {
      await Promise.all([graphEmu.close(), scimSrv.close(), graphHttp.close(), scimHttp.close()]);
    },
  };
}

/** What Entra's rules say the target must hold: in-scope enabled users (direct assignment or direct member of an assigned group). */
export function expectedScope(
  graphEmu: GraphEmulator,
  mode: "assigned" | "all" = "assigned",
): { userIds: Set<string>; groupIds: Set<string> } {
  const admin = graphEmu.admin;
  if (mode === "all")
    return {
      userIds: new Set(admin.listUsers().map((u) => u.id)),
      groupIds: new Set(admin.listGroups().map((g) => g.id)),
    };
  const assigned = admin.listAssignments();
  const groupIds = new Set(assigned.filter((a) => a.principalType === "Group").map((a) => a.principalId));
  const userIds = new Set(assigned.filter((a) => a.principalType === "User").map((a) => a.principalId));
  for (const g of groupIds)
    for (const m of admin.getGroup(g)?.members ?? [])
      if (admin.getUser(m) && !admin.getUser(m)!.softDeleted) userIds.add(m);
  return { userIds, groupIds };
}

/** The users and groups the target should hold after a first cycle, as the target returns them. */
export function expectedTarget(graphEmu: GraphEmulator, mode: "assigned" | "all" = "assigned") {
  const admin = graphEmu.admin;
  const scope = expectedScope(graphEmu, mode);
  const users = [...scope.userIds]
    .map((id) => admin.getUser(id)!)
    .filter((u) => u.accountEnabled && !u.softDeleted)
    .map((u) => ({
      userName: u.userPrincipalName,
      active: true,
      displayName: u.displayName,
      givenName: u.givenName ?? undefined,
      familyName: u.surname ?? undefined,
      externalId: u.mailNickname,
      ssoName: SSO,
    }))
    .sort((a, b) => a.userName.localeCompare(b.userName));
  const upnById = new Map(users.map((u) => [admin.getUser(u.userName)!.id, u.userName]));
  const groups = [...scope.groupIds]
    .map((id) => admin.getGroup(id)!)
    .map((g) => ({
      displayName: g.displayName,
      externalId: g.id,
      members: g.members
        .filter((m) => upnById.has(m))
        .map((m) => upnById.get(m)!)
        .sort(),
    }))
    .sort((a, b) => a.externalId.localeCompare(b.externalId));
  return { users, groups };
}

/** The target's state in the same shape as expectedTarget. */
export function actualTarget(scimSrv: ScimServer) {
  const users = scimSrv.listUsers();
  const nameById = new Map(users.map((u) => [u.id, u.userName]));
  return {
    users: users
      .map((u) => ({
        userName: u.userName,
        active: u.active,
        displayName: u.displayName,
        givenName: u.name?.givenName,
        familyName: u.name?.familyName,
        externalId: u.externalId,
        ssoName: u["urn:ietf:params:scim:schemas:extension:Splashtop:2.0:User"]?.ssoName,
      }))
      .sort((a, b) => a.userName.localeCompare(b.userName)),
    groups: scimSrv
      .listGroups()
      .map((g) => ({
        displayName: g.displayName,
        externalId: g.externalId,
        members: g.members.map((m) => nameById.get(m.value) ?? `?${m.value}`).sort(),
      }))
      .sort((a, b) => String(a.externalId).localeCompare(String(b.externalId))),
  };
}

/** Writes (POST, PATCH, PUT, DELETE) the target received since `from`. */
export function targetWrites(scimSrv: ScimServer, from = 0) {
  return scimSrv.requests.slice(from).filter((r) => r.method !== "GET");
}
