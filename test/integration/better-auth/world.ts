// Entra (the Graph emulator) provisioned into Better Auth's SCIM server by the real engine, generic preset.
import type { Database } from "better-sqlite3";
import { openDatabase } from "../../../electron/engine/db";
import { runCycle, type CycleOptions, type CycleResult } from "../../../electron/engine/cycle";
import { createHttpClient } from "../../../electron/engine/http";
import { defaultRules } from "../../../electron/engine/rules";
import { createGraphClient, createTokenProvider } from "../../../electron/engine/source";
import { createScimClient } from "../../../electron/engine/target";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  generateDirectory,
  startGraphEmulator,
  type GraphEmulator,
} from "../../../electron/emulators/graph";
import { ProfileSchema, type Profile, type ProfileInput } from "../../../shared/config/profile";
import type { Rules } from "../../../shared/config/mappings";
import { readAll, startBetterAuthScim, type BetterAuthScim } from "./server";
import { expectedScope } from "../../engine/cycle/harness";

export interface BetterAuthWorld {
  graphEmu: GraphEmulator;
  target: BetterAuthScim;
  profile: Profile;
  rules: Rules;
  db: Database;
  /** One cycle; `db` runs it against another state database (an empty data folder). */
  run(options?: Partial<CycleOptions> & { db?: Database; now?: () => Date }): Promise<CycleResult>;
  /** Writes (anything but GET) the target answered since `from` (an index into target.requests). */
  writes(from: number): BetterAuthScim["requests"];
  close(): Promise<void>;
}

export interface BetterAuthWorldOptions {
  users?: number;
  seed?: number;
  dialect: "entra" | "rfc7644";
  source?: Partial<ProfileInput["source"]>;
  rules?: Rules;
}

export async function startBetterAuthWorld(options: BetterAuthWorldOptions): Promise<BetterAuthWorld> {
  const seed = options.seed ?? 7;
  const graphEmu = await startGraphEmulator({
    directory: generateDirectory({ seed, users: options.users ?? 60 }),
    seed,
    pageSize: 100,
  });
  const target = await startBetterAuthScim();
  const fastRetries = { baseDelayMs: 5, maxDelayMs: 50, maxRetries: 8 };
  const graphHttp = createHttpClient({ caPem: graphEmu.caPem, ...fastRetries });
  const graph = createGraphClient({
    graphBaseUrl: graphEmu.graphBaseUrl,
    tokens: createTokenProvider({
      tenantId: graphEmu.tenantId,
      clientId: DEFAULT_CLIENT_ID,
      cloud: { authorityHost: graphEmu.authorityHost, graphBaseUrl: graphEmu.graphBaseUrl },
      credential: { clientSecret: DEFAULT_CLIENT_SECRET },
      caPem: graphEmu.caPem,
    }),
    http: graphHttp,
  });
  const scimHttp = createHttpClient({ concurrency: 8, ...fastRetries });
  const scim = createScimClient({
    tenantUrl: target.tenantUrl,
    token: target.token,
    dialect: options.dialect,
    preset: "generic",
    http: scimHttp,
  });
  const profile = ProfileSchema.parse({
    name: "better-auth",
    source: { tenantId: graphEmu.tenantId, clientId: DEFAULT_CLIENT_ID, appId: graphEmu.appId, ...options.source },
    target: {
      preset: "generic",
      tenantUrl: target.tenantUrl,
      dialect: options.dialect,
      requestsPerSecond: 1000,
      concurrency: 8,
    },
  });
  const rules = options.rules ?? defaultRules("generic");
  const db = openDatabase(":memory:");
  return {
    graphEmu,
    target,
    profile,
    rules,
    db,
    run: ({ db: other, now, ...o } = {}) =>
      runCycle(
        { db: other ?? db, profile, rules, graph, scim, ...(now ? { now } : {}) },
        { dryRun: false, full: false, allowDeletes: false, ...o },
      ),
    writes: (from) => target.requests.slice(from).filter((r) => r.method !== "GET"),
    async close() {
      await Promise.all([graphEmu.close(), target.close(), graphHttp.close(), scimHttp.close()]);
    },
  };
}

/** What the generic preset's rules say Better Auth must hold: enabled in-scope users, assigned groups, direct members. */
export function expectedState(graphEmu: GraphEmulator, mode: "assigned" | "all" = "assigned") {
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
      workEmail: u.mail ?? undefined,
    }))
    .sort((a, b) => a.userName.localeCompare(b.userName));
  const upns = new Set(users.map((u) => u.userName));
  const groups = [...scope.groupIds]
    .map((id) => admin.getGroup(id)!)
    .map((g) => ({
      displayName: g.displayName,
      externalId: g.id,
      members: g.members
        .map((m) => admin.getUser(m)?.userPrincipalName)
        .filter((upn): upn is string => upn !== undefined && upns.has(upn))
        .sort(),
    }))
    .sort((a, b) => a.externalId.localeCompare(b.externalId));
  return { users, groups };
}

interface ScimUserShape {
  id: string;
  userName: string;
  active: boolean;
  displayName?: string;
  externalId?: string;
  name?: { givenName?: string; familyName?: string };
  emails?: { value: string; type?: string }[];
}

/** Better Auth's state in the same shape, read through its SCIM API: active users (disabled ones listed apart). */
export async function actualState(target: BetterAuthScim) {
  const all = (await readAll(target, "Users")) as unknown as ScimUserShape[];
  // A user disabled in Entra stays in the target (inactive) and keeps its memberships, as with Entra: members are
  // compared among active users.
  const upnById = new Map(all.filter((u) => u.active).map((u) => [u.id, u.userName]));
  const users = all
    .filter((u) => u.active)
    .map((u) => ({
      userName: u.userName,
      active: u.active,
      displayName: u.displayName,
      givenName: u.name?.givenName,
      familyName: u.name?.familyName,
      externalId: u.externalId,
      workEmail: u.emails?.find((e) => e.type === "work")?.value,
    }))
    .sort((a, b) => a.userName.localeCompare(b.userName));
  const listed = await readAll(target, "Groups", "&excludedAttributes=members");
  const groups = await Promise.all(
    listed.map(async (g) => {
      const full = await target.read(`/Groups/${String(g.id)}`);
      const members = (full.members ?? []) as { value: string }[];
      return {
        displayName: String(full.displayName),
        externalId: String(full.externalId),
        members: members.flatMap((m) => upnById.get(m.value) ?? []).sort(),
      };
    }),
  );
  return {
    users,
    disabled: all.filter((u) => !u.active).map((u) => u.userName),
    groups: groups.sort((a, b) => a.externalId.localeCompare(b.externalId)),
  };
}
