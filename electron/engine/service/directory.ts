// Directory reads for the configuration screens: the scope preview's full read (cached briefly, so typing in the filter
// builder costs no Graph request), the group picker's pages with member counts, and the attribute pickers' lists.
import { randomUUID } from "node:crypto";
import type { Rules } from "../../../shared/config/mappings";
import type { Profile } from "../../../shared/config/profile";
import type {
  GroupSearch,
  PickedGroups,
  SourceAttributeInfo,
  SourceAttributes,
  TargetAttributesView,
} from "../../../shared/ipc/draft-model";
import { GROUP_MEMBERS_LISTED, type GroupMembers } from "../../../shared/ipc/provision-model";
import { readDirectory, sourceSelect } from "../cycle/read";
import type { ScopeInput } from "../cycle/scope";
import { sourceAttributes, targetAttributesFor, USER_ATTRIBUTES } from "../rules";
import {
  availableExtensionProperties,
  countGroupMembers,
  getGroup,
  GraphError,
  groupIdsByName,
  listGroupMembersNamed,
  searchGroups,
  type GraphClient,
  type NamedMember,
} from "../source";
import { ScimError, type ScimClient } from "../target";
import { EngineError } from "./errors";

/** A directory read is reused this long: long enough for a session of filter editing, short enough to stay live. */
export const DIRECTORY_CACHE_MS = 60_000;
const GROUP_PAGE = 20;

/** Which tenant and credentials a read was made with: cached reads and cursors never cross connections. */
export const connectionKey = (profile: Profile) =>
  JSON.stringify([profile.name, profile.source.tenantId, profile.source.clientId, profile.source.cloud]);

/** A promise cache with an expiry: concurrent asks share one read; a failed read is not kept. */
export function createTtlCache<T>(ttlMs: number, now: () => number = Date.now) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      for (const [k, entry] of entries) if (now() - entry.at >= ttlMs) entries.delete(k);
      const value = load();
      entries.set(key, { at: now(), value });
      value.catch(() => entries.get(key)?.value === value && entries.delete(key));
      return value;
    },
    clear: () => entries.clear(),
  };
}

/**
 * What a preview reads: every Graph property behind a known Entra attribute (so a new clause on another attribute
 * needs no new read), plus what the draft's rules reference beyond that (directory extensions, manager).
 */
export function previewSelect(rules: Rules): { users: string[]; groups: string[] } {
  const needed = sourceSelect(rules);
  const known = USER_ATTRIBUTES.flatMap((a) => (a.graph && a.graph !== "manager" ? [a.graph] : []));
  return { users: [...new Set([...known, ...needed.users])].sort(), groups: [...needed.groups].sort() };
}

export interface DirectoryRead extends ScopeInput {
  readAt: string;
}

export function createDirectoryReads() {
  const reads = createTtlCache<DirectoryRead>(DIRECTORY_CACHE_MS);
  /** Graph's next-page links stay in main: the window gets an opaque cursor, never a URL main would send a token to. */
  const cursors = new Map<string, { connection: string; query: string; nextLink: string }>();

  return {
    /**
     * The directory as a full cycle would read it, for the profile's scope setting. `withGraph` connects only when the
     * cache has no fresh read: a preview while typing sends nothing, not even a token request.
     */
    read(
      profile: Profile,
      rules: Rules,
      withGraph: <T>(work: (graph: GraphClient) => Promise<T>) => Promise<T>,
    ): Promise<DirectoryRead> {
      const select = previewSelect(rules);
      const app =
        profile.source.scope === "assigned"
          ? { appId: profile.source.appId, tenantId: profile.source.tenantId }
          : undefined;
      const key = JSON.stringify([connectionKey(profile), select, app?.appId ?? null]);
      return reads.get(key, () =>
        withGraph(async (graph) => ({
          ...(await readDirectory(graph, select, app)),
          readAt: new Date().toISOString(),
        })),
      );
    },

    async searchGroups(
      graph: GraphClient,
      profile: Profile,
      query: string,
      cursor: string | undefined,
    ): Promise<GroupSearch> {
      const connection = connectionKey(profile);
      let nextLink: string | undefined;
      if (cursor !== undefined) {
        const saved = cursors.get(cursor);
        if (!saved || saved.connection !== connection || saved.query !== query)
          throw new EngineError("notFound", "That page of groups is no longer available. Search again.");
        nextLink = saved.nextLink;
      }
      const page = await searchGroups(graph, query, { top: GROUP_PAGE, ...(nextLink ? { nextLink } : {}) });
      const counts = await Promise.all(
        page.groups.map((g) =>
          countGroupMembers(graph, g.id).catch((error: unknown) => {
            // A group deleted between the two reads has no count; anything else is a real failure.
            if (error instanceof GraphError && error.status === 404) return null;
            throw error;
          }),
        ),
      );
      let nextCursor: string | null = null;
      if (page.nextLink) {
        nextCursor = randomUUID();
        if (cursors.size >= 200) cursors.delete(cursors.keys().next().value!);
        cursors.set(nextCursor, { connection, query, nextLink: page.nextLink });
      }
      return { groups: page.groups.map((g, i) => ({ ...g, memberCount: counts[i] ?? null })), nextCursor };
    },

    clear: () => reads.clear(),
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Picked groups as the directory knows them now: by id, or by exact name as a profile may store them. */
export async function describeGroups(graph: GraphClient, refs: string[]): Promise<PickedGroups> {
  return Promise.all(
    refs.map(async (ref) => {
      const id = GUID.test(ref) ? ref : ((await groupIdsByName(graph, [ref]))[0] ?? null);
      const group = id ? await getGroup(graph, id) : null;
      if (!group) return { ref, id: null, displayName: null, memberCount: null };
      return {
        ref,
        id: group.id,
        displayName: group.displayName,
        memberCount: await countGroupMembers(graph, group.id),
      };
    }),
  );
}

const EXTENSION_TYPES: Record<string, SourceAttributeInfo["type"]> = {
  Boolean: "Boolean",
  DateTime: "DateTime",
  Integer: "Integer",
  LargeInteger: "Integer",
};

const known = (type: "users" | "groups"): SourceAttributeInfo[] =>
  sourceAttributes(type).map((a) => ({
    name: a.name,
    type: a.type,
    multiValued: a.multiValued ?? false,
    computed: a.computed ?? null,
    extension: false,
  }));

/** Entra's attributes, plus the directory extensions registered in the tenant when Graph lets us list them. */
export async function listSourceAttributes(graph: GraphClient): Promise<SourceAttributes> {
  const result: SourceAttributes = {
    users: known("users"),
    groups: known("groups"),
    extensions: { discovered: true, message: "" },
  };
  try {
    const found = await availableExtensionProperties(graph);
    for (const p of found) {
      const info: SourceAttributeInfo = {
        name: p.name,
        type: EXTENSION_TYPES[p.dataType] ?? "String",
        multiValued: p.isMultiValued,
        computed: null,
        extension: true,
      };
      if (p.targetObjects.includes("User")) result.users.push(info);
      if (p.targetObjects.includes("Group")) result.groups.push(info);
    }
    const count = result.users.length + result.groups.length - known("users").length - known("groups").length;
    result.extensions.message =
      count === 0 ? "The tenant has no directory extensions." : `${count} directory extension attributes found.`;
  } catch (error) {
    if (!(error instanceof GraphError && error.isPermissionDenied)) throw error;
    result.extensions = {
      discovered: false,
      message:
        "Directory extensions could not be listed: Microsoft Graph needs the application permission Directory.Read.All for that. " +
        "Add it under App registrations → your app → API permissions and grant admin consent, or type the extension's " +
        "name (extension_<app id without dashes>_<name>) by hand.",
    };
  }
  return result;
}

/** The preset's documented schema, or what a generic SCIM target publishes at /Schemas. */
export async function listTargetAttributes(
  preset: Profile["target"]["preset"],
  scim: () => Promise<ScimClient>,
): Promise<TargetAttributesView> {
  const fromPreset = (message: string | null): TargetAttributesView => {
    const attrs = targetAttributesFor(preset);
    const view = (t: "users" | "groups") => ({
      attributes: attrs[t].knownAttributes ?? [
        ...new Set([...attrs[t].requiredAttributes, ...attrs[t].filterableAttributes]),
      ],
      required: attrs[t].requiredAttributes,
      matchable: attrs[t].filterableAttributes,
    });
    return { source: "preset", users: view("users"), groups: view("groups"), message };
  };
  if (preset === "splashtop") return fromPreset(null);
  const client = await scim();
  try {
    const [users, groups] = await Promise.all([client.discoverSchema("Users"), client.discoverSchema("Groups")]);
    const view = (d: typeof users) => ({
      attributes: d.attributes,
      required: d.requiredAttributes,
      matchable: d.filterableAttributes ?? [],
    });
    return { source: "discovered", users: view(users), groups: view(groups), message: null };
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    return fromPreset(`${error.message} These are the attributes every SCIM 2.0 app accepts.`);
  }
}

/** A group's direct user members to pick from for provision on demand: the first ones by name, and how many there are. */
export async function groupMembersToPick(graph: GraphClient, groupId: string): Promise<GroupMembers> {
  const all = await listGroupMembersNamed(graph, groupId);
  const users = all.filter((m) => m.type === "user");
  const name = (m: NamedMember) => m.displayName ?? m.userPrincipalName ?? m.id;
  return {
    members: users
      .sort((a, b) => name(a).localeCompare(name(b)))
      .slice(0, GROUP_MEMBERS_LISTED)
      .map((m) => ({ id: m.id, userPrincipalName: m.userPrincipalName, displayName: m.displayName })),
    userMembers: users.length,
    otherMembers: all.length - users.length,
  };
}
