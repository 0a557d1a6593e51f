import { GraphError } from "./errors";
import type { GraphClient } from "./graph-client";
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
