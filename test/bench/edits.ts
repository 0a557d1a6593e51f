// The same changes in Entra for every world of a run (same seed ⇒ same tenant ⇒ same picks): attribute edits on
// enabled users, and membership adds and removals spread over the groups.
import type { DirectoryAdmin } from "../../electron/emulators/graph";

export interface EditCounts {
  attributeEdits: number;
  membersAdded: number;
  membersRemoved: number;
}

/** Every `stride`-th item, so the picks spread over the whole tenant instead of its first rows. */
function spread<T>(items: T[], count: number): T[] {
  if (count <= 0 || items.length === 0) return [];
  const stride = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, i) => i % stride === 0).slice(0, count);
}

/** `edits` users get a new surname and display name; `edits` memberships are added and `edits / 2` removed. */
export function applyEdits(admin: DirectoryAdmin, edits: number): EditCounts {
  const users = admin
    .listUsers()
    .filter((u) => u.accountEnabled)
    .sort((a, b) => a.id.localeCompare(b.id));
  const edited = spread(users, edits);
  for (const [i, u] of edited.entries()) {
    admin.updateUser(u.id, { surname: `Edited${i}`, displayName: `${u.givenName ?? "User"} Edited${i}` });
  }
  const userIds = new Set(users.map((u) => u.id));
  const groups = admin.listGroups().sort((a, b) => a.id.localeCompare(b.id));
  let membersAdded = 0;
  let membersRemoved = 0;
  // Adds: users not yet in the group, walking the groups round-robin.
  for (const [i, u] of spread([...users].reverse(), edits).entries()) {
    const group = groups[i % groups.length];
    if (!group || group.members.includes(u.id)) continue;
    admin.addMember(group.id, u.id);
    membersAdded++;
  }
  // Removals: one user member from each of the first groups that have one left.
  for (const group of groups) {
    if (membersRemoved >= Math.floor(edits / 2)) break;
    const member = group.members.find((m) => userIds.has(m));
    if (!member) continue;
    admin.removeMember(group.id, member);
    membersRemoved++;
  }
  return { attributeEdits: edited.length, membersAdded, membersRemoved };
}
