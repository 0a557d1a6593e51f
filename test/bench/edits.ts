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

/**
 * `edits` users get a new surname and display name; `edits` memberships are added and `edits / 2` removed. Each
 * `round` (a repeated measurement) picks its members one user further along and starts its removals further on, so
 * that it changes as much as the first.
 */
export function applyEdits(admin: DirectoryAdmin, edits: number, round = 0): EditCounts {
  const users = admin
    .listUsers()
    .filter((u) => u.accountEnabled)
    .sort((a, b) => a.id.localeCompare(b.id));
  const edited = spread(users, edits);
  for (const [i, u] of edited.entries()) {
    const edit = `Edited${round ? `${round}.` : ""}${i}`;
    admin.updateUser(u.id, { surname: edit, displayName: `${u.givenName ?? "User"} ${edit}` });
  }
  const userIds = new Set(users.map((u) => u.id));
  const groups = admin.listGroups().sort((a, b) => a.id.localeCompare(b.id));
  let membersAdded = 0;
  let membersRemoved = 0;
  // Adds: users not yet in the group, walking the groups round-robin.
  const candidates = [...users].reverse();
  for (const [i, u] of spread([...candidates.slice(round), ...candidates.slice(0, round)], edits).entries()) {
    const group = groups[(i + round) % groups.length];
    if (!group || group.members.includes(u.id)) continue;
    admin.addMember(group.id, u.id);
    membersAdded++;
  }
  // Removals: one user member from each of the first groups that have one left.
  const from = (round * Math.floor(edits / 2)) % Math.max(1, groups.length);
  for (const group of [...groups.slice(from), ...groups.slice(0, from)]) {
    if (membersRemoved >= Math.floor(edits / 2)) break;
    const member = group.members.find((m) => userIds.has(m));
    if (!member) continue;
    admin.removeMember(group.id, member);
    membersRemoved++;
  }
  return { attributeEdits: edited.length, membersAdded, membersRemoved };
}
