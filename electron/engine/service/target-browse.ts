import type { TargetBrowse } from "../../../shared/ipc/model";
import type { ScimClient, ScimResource } from "../target";

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** SCIM booleans sometimes arrive as "True"/"False" strings (Entra's dialect); absent means active. */
const isActive = (value: unknown) => (typeof value === "string" ? value.toLowerCase() !== "false" : value !== false);

/**
 * The target's users and groups as it holds them, for the read-only Target view: the first `limit` of each,
 * and the totals (every page is read to count them, so the numbers are the target's own).
 */
export async function browseTarget(scim: ScimClient, limit: number): Promise<TargetBrowse> {
  const users: TargetBrowse["users"] = [];
  const groups: TargetBrowse["groups"] = [];
  let totalUsers = 0;
  let totalGroups = 0;
  for await (const page of scim.listAll("Users")) {
    totalUsers += page.length;
    for (const user of page.slice(0, Math.max(0, limit - users.length))) {
      users.push({
        id: user.id,
        userName: text(user.userName) ?? "",
        displayName: text(user.displayName),
        active: isActive(user.active),
      });
    }
  }
  for await (const page of scim.listAll("Groups")) {
    totalGroups += page.length;
    for (const group of page.slice(0, Math.max(0, limit - groups.length))) {
      groups.push({ id: group.id, displayName: text(group.displayName) ?? "", memberCount: members(group).length });
    }
  }
  return { users, groups, totalUsers, totalGroups };
}

const members = (group: ScimResource): unknown[] => (Array.isArray(group.members) ? group.members : []);
