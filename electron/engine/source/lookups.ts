import { GraphError } from "./errors";
import type { GraphClient, GraphPage } from "./graph-client";
import type { MemberType } from "./delta";

interface DirectoryObject {
  id: string;
  "@odata.type"?: string;
}

const TYPES: Record<string, MemberType> = { "#microsoft.graph.user": "user", "#microsoft.graph.group": "group" };

const selectParam = (select: string[]) => `$select=${select.join(",")}`;

/**
 * The Graph path of one user by object id or UPN. Guests' UPNs hold "#EXT#" and must be percent-encoded; a UPN that
 * starts with "$" is only understood in the users('...') form.
 */
function userPath(idOrUpn: string): string {
  if (idOrUpn.startsWith("$")) return `/users('${encodeURIComponent(idOrUpn.replace(/'/g, "''"))}')`;
  return `/users/${encodeURIComponent(idOrUpn)}`;
}

/**
 * One user (for provision on demand), or null when the directory has no such user. A "manager" in `select` is read
 * through $expand and returned as the manager's object id (or null), the same shape as the delta readers give.
 */
export async function getUser(
  client: GraphClient,
  idOrUpn: string,
  select: string[],
): Promise<Record<string, unknown> | null> {
  const withManager = select.includes("manager");
  const properties = select.filter((p) => p !== "manager");
  const query = `${selectParam(properties.length ? properties : ["id"])}${withManager ? "&$expand=manager($select=id)" : ""}`;
  let user: Record<string, unknown>;
  try {
    user = await client.get<Record<string, unknown>>(`${userPath(idOrUpn)}?${query}`);
  } catch (err) {
    if (err instanceof GraphError && err.status === 404) return null;
    throw err;
  }
  const attributes = Object.fromEntries(Object.entries(user).filter(([key]) => !key.startsWith("@odata.")));
  if (withManager) attributes.manager = (user.manager as DirectoryObject | undefined)?.id ?? null;
  return attributes;
}

/** Direct members of a group (users, nested groups, and other objects such as devices). */
export async function listGroupMembers(
  client: GraphClient,
  groupId: string,
): Promise<{ id: string; type: MemberType }[]> {
  const members: { id: string; type: MemberType }[] = [];
  for await (const page of client.pages<DirectoryObject>(
    `/groups/${encodeURIComponent(groupId)}/members?$select=id&$top=999`,
  )) {
    for (const m of page) members.push({ id: m.id, type: TYPES[m["@odata.type"] ?? ""] ?? "other" });
  }
  return members;
}

/** Ids of the groups a user is a direct member of (one paged read, whatever the number of groups in the tenant). */
export async function userGroupIds(client: GraphClient, userId: string): Promise<Set<string>> {
  const groups = new Set<string>();
  for await (const page of client.pages<DirectoryObject>(
    `/users/${encodeURIComponent(userId)}/memberOf?$select=id&$top=999`,
  )) {
    for (const m of page) if (m["@odata.type"] === "#microsoft.graph.group") groups.add(m.id);
  }
  return groups;
}

/** Ids of the users in a group at any depth of nesting (the "include nested groups" option). */
export async function transitiveMemberIds(client: GraphClient, groupId: string): Promise<Set<string>> {
  const users = new Set<string>();
  for await (const page of client.pages<DirectoryObject>(
    `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id&$top=999`,
  )) {
    for (const m of page) if (m["@odata.type"] === "#microsoft.graph.user") users.add(m.id);
  }
  return users;
}

/** Every group with the selected properties (the scope picker). */
export async function listGroups(client: GraphClient, select: string[]): Promise<Record<string, unknown>[]> {
  const groups: Record<string, unknown>[] = [];
  for await (const page of client.pages<Record<string, unknown>>(`/groups?${selectParam(select)}&$top=999`))
    groups.push(...page);
  return groups;
}

/** OData string literal: single quotes doubled. */
const odataString = (value: string) => `'${value.replace(/'/g, "''")}'`;

export interface ScopeGroup {
  id: string;
  displayName: string | null;
  /** Only what decides one user's scope: the user itself when a direct member, and nested groups when followed. */
  members: { id: string; type: "user" | "group" }[];
}

/**
 * The groups that decide one user's scope, read live: the scoped groups and, when nesting is followed, every group
 * nested in them. Each keeps its name, the user when it is a direct member, and its nested groups, so the engine's
 * one scope decision can name the chain of groups that brings the user in.
 */
export async function scopeGroupsForUser(
  client: GraphClient,
  userId: string,
  rootIds: Iterable<string>,
  nested: boolean,
): Promise<ScopeGroup[]> {
  const found: ScopeGroup[] = [];
  const seen = new Set<string>();
  const queue = [...rootIds];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    if (seen.has(id)) continue;
    seen.add(id);
    const group = await getGroup(client, id);
    if (!group) continue;
    const members: ScopeGroup["members"] = [];
    for (const m of await listGroupMembers(client, id)) {
      if (m.type === "user" && m.id === userId) members.push({ id: m.id, type: "user" });
      if (m.type === "group" && nested) {
        members.push({ id: m.id, type: "group" });
        queue.push(m.id);
      }
    }
    found.push({ id, displayName: group.displayName, members });
  }
  return found;
}

/** One group with the selected properties (provision on demand), or null when the directory has no such group. */
export async function readGroup(
  client: GraphClient,
  id: string,
  select: string[],
): Promise<Record<string, unknown> | null> {
  try {
    const group = await client.get<Record<string, unknown>>(`/groups/${encodeURIComponent(id)}?${selectParam(select)}`);
    return Object.fromEntries(Object.entries(group).filter(([key]) => !key.startsWith("@odata.")));
  } catch (err) {
    if (err instanceof GraphError && err.status === 404) return null;
    throw err;
  }
}

/** One group's id and name, or null when the directory has no such group. */
export async function getGroup(
  client: GraphClient,
  id: string,
): Promise<{ id: string; displayName: string | null } | null> {
  const group = await readGroup(client, id, ["id", "displayName"]);
  return group ? { id: String(group.id), displayName: (group.displayName as string | null | undefined) ?? null } : null;
}

export interface NamedMember {
  id: string;
  type: MemberType;
  displayName: string | null;
  userPrincipalName: string | null;
}

/** Direct members of a group with their names: what provision on demand picks a group's members from. */
export async function listGroupMembersNamed(client: GraphClient, groupId: string): Promise<NamedMember[]> {
  const members: NamedMember[] = [];
  for await (const page of client.pages<DirectoryObject & { displayName?: string | null; userPrincipalName?: string }>(
    `/groups/${encodeURIComponent(groupId)}/members?$select=id,displayName,userPrincipalName&$top=999`,
  )) {
    for (const m of page)
      members.push({
        id: m.id,
        type: TYPES[m["@odata.type"] ?? ""] ?? "other",
        displayName: m.displayName ?? null,
        userPrincipalName: m.userPrincipalName ?? null,
      });
  }
  return members;
}

/** Ids of the groups with exactly these display names (picked groups may be stored by name). */
export async function groupIdsByName(client: GraphClient, names: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const filter = encodeURIComponent(`displayName eq ${odataString(name)}`);
    const page = await client.get<GraphPage<{ id: string }>>(`/groups?$filter=${filter}&$select=id`);
    ids.push(...(page.value ?? []).map((g) => g.id));
  }
  return ids;
}

export interface GroupPage {
  groups: { id: string; displayName: string | null }[];
  /** Graph's link to the next page, if any. */
  nextLink: string | null;
}

/**
 * One page of groups whose display name starts with `query` (every group when empty), by name. $filter together with
 * $orderby is one of Graph's advanced queries: it needs ConsistencyLevel: eventual and $count=true.
 */
export async function searchGroups(
  client: GraphClient,
  query: string,
  options: { top: number; nextLink?: string },
): Promise<GroupPage> {
  const filter = query
    ? `&$filter=${encodeURIComponent(`startswith(displayName,${odataString(query)})`)}&$count=true`
    : "";
  const page = await client.get<GraphPage<{ id: string; displayName?: string | null }>>(
    options.nextLink ?? `/groups?$select=id,displayName${filter}&$orderby=displayName&$top=${options.top}`,
    query ? { consistencylevel: "eventual" } : undefined,
  );
  return {
    groups: (page.value ?? []).map((g) => ({ id: g.id, displayName: g.displayName ?? null })),
    nextLink: page["@odata.nextLink"] ?? null,
  };
}

/** How many direct members a group has: `/members/$count`, an advanced query that needs ConsistencyLevel: eventual. */
export async function countGroupMembers(client: GraphClient, groupId: string): Promise<number> {
  const body = await client.get<unknown>(`/groups/${encodeURIComponent(groupId)}/members/$count`, {
    consistencylevel: "eventual",
  });
  const count = Number(typeof body === "string" ? body.trim() : body);
  if (!Number.isInteger(count)) throw new Error(`Graph answered a member count that is not a number: ${String(body)}`);
  return count;
}

/** Users whose display name or user principal name starts with `query`. */
export async function searchUsers(
  client: GraphClient,
  query: string,
  top: number,
): Promise<{ id: string; userPrincipalName: string | null; displayName: string | null }[]> {
  const q = odataString(query);
  const filter = encodeURIComponent(`startswith(displayName,${q}) or startswith(userPrincipalName,${q})`);
  const page = await client.get<
    GraphPage<{ id: string; userPrincipalName?: string | null; displayName?: string | null }>
  >(`/users?$filter=${filter}&$select=id,userPrincipalName,displayName&$top=${top}`);
  return (page.value ?? []).map((u) => ({
    id: u.id,
    userPrincipalName: u.userPrincipalName ?? null,
    displayName: u.displayName ?? null,
  }));
}

export interface ExtensionProperty {
  /** extension_<appId without dashes>_<name> */
  name: string;
  dataType: string;
  isMultiValued: boolean;
  /** "User", "Group", … */
  targetObjects: string[];
}

/**
 * Directory extensions registered in the tenant (POST /directoryObjects/getAvailableExtensionProperties). Graph needs
 * Directory.Read.All for it; a GraphError with isPermissionDenied tells the caller it is missing.
 */
export async function availableExtensionProperties(client: GraphClient): Promise<ExtensionProperty[]> {
  const page = await client.post<GraphPage<Partial<ExtensionProperty>>>(
    "/directoryObjects/getAvailableExtensionProperties",
    {},
  );
  return (page.value ?? []).flatMap((p) =>
    typeof p.name === "string"
      ? [
          {
            name: p.name,
            dataType: p.dataType ?? "String",
            isMultiValued: p.isMultiValued ?? false,
            targetObjects: p.targetObjects ?? [],
          },
        ]
      : [],
  );
}
