// The live directory plus a change log. Every mutation gets a sequence number; delta queries
// compare their watermark against it, so "changes since token" is a slice of the log.

import { assignmentId, cloudOnlyDefaults, toNickname } from "./generator";
import type { Prng } from "./prng";
import type { AppRecord, AppRoleAssignmentRecord, Directory, GroupRecord, UserRecord } from "./types";

export type ObjectKind = "user" | "group";

export type Change =
  | { seq: number; kind: ObjectKind; id: string; props: readonly string[] | "all" }
  | { seq: number; kind: "member"; groupId: string; memberId: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface StoredUser {
  rec: UserRecord;
  /** Soft-deleted users sit in the recycle bin: invisible to reads, restorable. */
  softDeleted: boolean;
}

export interface StoredGroup {
  rec: Omit<GroupRecord, "members">;
  members: Set<string>;
  /** Deleted Microsoft 365 groups sit in the recycle bin like users: invisible, restorable. */
  softDeleted: boolean;
}

export type NewUser = Partial<UserRecord> & { displayName: string };
export type NewGroup = Partial<Omit<GroupRecord, "id">> & { displayName: string };

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

export class DirectoryStore {
  readonly users = new Map<string, StoredUser>();
  readonly groups = new Map<string, StoredGroup>();
  readonly assignments = new Map<string, AppRoleAssignmentRecord>();
  /** Reverse index: member id -> ids of groups it is a direct member of. */
  private readonly memberOf = new Map<string, Set<string>>();
  private readonly upnIndex = new Map<string, string>();
  /** Kinds of purged objects, so delta can report them as deleted. */
  readonly purged = new Map<string, ObjectKind>();
  private readonly log: Change[] = [];
  seq = 0;
  readonly app: AppRecord;
  private readonly domain: string;

  constructor(
    dir: Directory,
    private readonly prng: Prng,
  ) {
    this.app = dir.app;
    this.domain = dir.domain;
    for (const u of dir.users) this.putUser({ ...u });
    for (const g of dir.groups) {
      const { members: _members, ...rec } = g;
      this.groups.set(g.id, { rec, members: new Set(), softDeleted: false });
    }
    for (const g of dir.groups) for (const m of g.members) this.link(g.id, m);
    for (const a of dir.assignments) this.assignments.set(a.id, { ...a });
  }

  // ---- reads ----

  kindOf(id: string): ObjectKind | undefined {
    if (this.users.has(id)) return "user";
    if (this.groups.has(id)) return "group";
    return undefined;
  }

  /** Active user by id or userPrincipalName (case-insensitive), as Graph resolves /users/{id|upn}. */
  findUser(idOrUpn: string): UserRecord | undefined {
    const id = this.resolveUserId(idOrUpn);
    const u = id ? this.users.get(id) : undefined;
    return u && !u.softDeleted ? u.rec : undefined;
  }

  /** Id of any user (soft-deleted included) by id or userPrincipalName. */
  resolveUserId(idOrUpn: string): string | undefined {
    return this.users.has(idOrUpn) ? idOrUpn : this.upnIndex.get(idOrUpn.toLowerCase());
  }

  /** Group by id unless it is in the recycle bin. */
  findGroup(id: string): StoredGroup | undefined {
    const g = this.groups.get(id);
    return g && !g.softDeleted ? g : undefined;
  }

  isVisible(id: string): boolean {
    const u = this.users.get(id);
    return u ? !u.softDeleted : !!this.findGroup(id);
  }

  activeGroups(): StoredGroup[] {
    return [...this.groups.values()].filter((g) => !g.softDeleted);
  }

  /** Direct members that reads can see (soft-deleted users drop out of groups until restored). */
  visibleMembers(groupId: string): string[] {
    return [...(this.groups.get(groupId)?.members ?? [])].filter((m) => this.isVisible(m));
  }

  /** Groups reads can see that the object is a direct member of (a user's memberOf). */
  groupsOf(memberId: string): string[] {
    return [...(this.memberOf.get(memberId) ?? [])].filter((g) => this.findGroup(g));
  }

  activeUsers(): UserRecord[] {
    const out: UserRecord[] = [];
    for (const u of this.users.values()) if (!u.softDeleted) out.push(u.rec);
    return out;
  }

  /** Log entries with seq > since, in order. */
  changesSince(since: number): Change[] {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.log[mid] as Change).seq <= since) lo = mid + 1;
      else hi = mid;
    }
    return this.log.slice(lo);
  }

  // ---- user mutations ----

  addUser(input: NewUser): UserRecord {
    const given = input.givenName ?? input.displayName.split(" ")[0] ?? input.displayName;
    const surname = input.surname ?? input.displayName.split(" ").slice(1).join(" ");
    const nick = input.mailNickname ?? toNickname(given, surname || "user");
    const upn = input.userPrincipalName ?? `${nick}@${this.domain}`;
    const rec: UserRecord = {
      id: input.id ?? this.prng.guid(),
      userPrincipalName: upn,
      givenName: given,
      surname: surname || null,
      mail: upn.includes("#EXT#") ? null : upn,
      mailNickname: nick,
      otherMails: [],
      proxyAddresses: [],
      accountEnabled: true,
      userType: "Member",
      externalUserState: null,
      department: null,
      jobTitle: null,
      companyName: null,
      employeeId: null,
      employeeType: null,
      officeLocation: null,
      city: null,
      country: null,
      usageLocation: null,
      preferredLanguage: null,
      businessPhones: [],
      mobilePhone: null,
      createdDateTime: now(),
      managerId: null,
      ...cloudOnlyDefaults(),
      ...input,
    };
    if (this.users.has(rec.id) || this.upnIndex.has(rec.userPrincipalName.toLowerCase())) {
      throw new Error(`A user with id ${rec.id} or userPrincipalName ${rec.userPrincipalName} already exists.`);
    }
    this.putUser(rec);
    this.record({ kind: "user", id: rec.id, props: "all" });
    return rec;
  }

  updateUser(id: string, patch: Partial<Omit<UserRecord, "id">>): UserRecord {
    const u = this.requireUser(id);
    const changed = Object.keys(patch).filter(
      (k) => JSON.stringify(patch[k as keyof typeof patch]) !== JSON.stringify(u.rec[k as keyof UserRecord]),
    );
    if (changed.length === 0) return u.rec;
    const owner = patch.userPrincipalName ? this.upnIndex.get(patch.userPrincipalName.toLowerCase()) : undefined;
    if (owner && owner !== id)
      throw new Error(`userPrincipalName ${patch.userPrincipalName} already belongs to user ${owner}.`);
    this.upnIndex.delete(u.rec.userPrincipalName.toLowerCase());
    Object.assign(u.rec, patch);
    this.upnIndex.set(u.rec.userPrincipalName.toLowerCase(), id);
    // The manager relationship is tracked under its Graph navigation name.
    this.record({ kind: "user", id, props: changed.map((k) => (k === "managerId" ? "manager" : k)) });
    return u.rec;
  }

  softDeleteUser(id: string): void {
    const u = this.requireUser(id);
    if (u.softDeleted) return;
    u.softDeleted = true;
    this.record({ kind: "user", id, props: "all" });
    this.recordMembershipVisibility(id);
  }

  restoreUser(id: string): void {
    const u = this.requireUser(id);
    if (!u.softDeleted) return;
    u.softDeleted = false;
    this.record({ kind: "user", id, props: "all" });
    this.recordMembershipVisibility(id);
  }

  purgeUser(id: string): void {
    const u = this.requireUser(id);
    this.removeObjectLinks(id);
    this.users.delete(id);
    this.upnIndex.delete(u.rec.userPrincipalName.toLowerCase());
    this.purged.set(id, "user");
    this.record({ kind: "user", id, props: "all" });
  }

  // ---- group mutations ----

  createGroup(input: NewGroup): GroupRecord {
    const nick = input.mailNickname ?? (input.displayName.normalize("NFD").replace(/[^A-Za-z0-9]/g, "") || "group");
    const { members = [], ...rest } = input;
    const rec: Omit<GroupRecord, "members"> = {
      id: this.prng.guid(),
      description: null,
      mail: null,
      mailEnabled: false,
      mailNickname: nick,
      securityEnabled: true,
      groupTypes: [],
      visibility: null,
      createdDateTime: now(),
      ...rest,
    };
    this.groups.set(rec.id, { rec, members: new Set(), softDeleted: false });
    this.record({ kind: "group", id: rec.id, props: "all" });
    for (const m of members) this.addMember(rec.id, m);
    return { ...rec, members: [...members] };
  }

  updateGroup(id: string, patch: Partial<Omit<GroupRecord, "id" | "members">>): void {
    const g = this.requireGroup(id);
    const changed = Object.keys(patch).filter(
      (k) => JSON.stringify(patch[k as keyof typeof patch]) !== JSON.stringify(g.rec[k as keyof typeof g.rec]),
    );
    if (changed.length === 0) return;
    Object.assign(g.rec, patch);
    this.record({ kind: "group", id, props: changed });
  }

  /** Recycle-bin delete (what Entra does to Microsoft 365 groups): delta reports @removed reason "changed". */
  softDeleteGroup(id: string): void {
    this.setGroupDeleted(id, true);
  }

  restoreGroup(id: string): void {
    this.setGroupDeleted(id, false);
  }

  /** Hard delete (security groups are not recycled; also purges a soft-deleted group): delta reports it as deleted. */
  deleteGroup(id: string): void {
    this.requireGroup(id);
    this.removeObjectLinks(id);
    for (const m of this.groups.get(id)?.members ?? []) this.memberOf.get(m)?.delete(id);
    this.groups.delete(id);
    this.purged.set(id, "group");
    this.record({ kind: "group", id, props: "all" });
  }

  addMember(groupId: string, memberId: string): void {
    this.requireGroup(groupId);
    if (!this.kindOf(memberId)) throw new Error(`No user or group with id ${memberId}.`);
    if (groupId === memberId) throw new Error("A group cannot be a member of itself.");
    if (this.link(groupId, memberId)) this.record({ kind: "member", groupId, memberId });
  }

  removeMember(groupId: string, memberId: string): void {
    const g = this.requireGroup(groupId);
    if (!g.members.delete(memberId)) return;
    this.memberOf.get(memberId)?.delete(groupId);
    this.record({ kind: "member", groupId, memberId });
  }

  // ---- assignments ----

  assign(principalId: string, appRoleId?: string): AppRoleAssignmentRecord {
    const kind = this.kindOf(principalId);
    if (!kind) throw new Error(`No user or group with id ${principalId}.`);
    const a: AppRoleAssignmentRecord = {
      id: assignmentId(this.prng),
      appRoleId: appRoleId ?? this.app.appRoles[0]?.id ?? "00000000-0000-0000-0000-000000000000",
      principalId,
      principalType: kind === "user" ? "User" : "Group",
      createdDateTime: now(),
    };
    this.assignments.set(a.id, a);
    return a;
  }

  unassign(principalId: string): number {
    let removed = 0;
    for (const [id, a] of this.assignments) {
      if (a.principalId === principalId) {
        this.assignments.delete(id);
        removed++;
      }
    }
    return removed;
  }

  // ---- internals ----

  private putUser(rec: UserRecord): void {
    this.users.set(rec.id, { rec, softDeleted: false });
    this.upnIndex.set(rec.userPrincipalName.toLowerCase(), rec.id);
  }

  private link(groupId: string, memberId: string): boolean {
    const g = this.groups.get(groupId);
    if (!g || g.members.has(memberId)) return false;
    g.members.add(memberId);
    const set = this.memberOf.get(memberId) ?? new Set<string>();
    set.add(groupId);
    this.memberOf.set(memberId, set);
    return true;
  }

  /** Purge or hard delete: drop memberships (logged for group delta), manager links and assignments. */
  private removeObjectLinks(id: string): void {
    for (const groupId of [...(this.memberOf.get(id) ?? [])]) this.removeMember(groupId, id);
    this.memberOf.delete(id);
    for (const u of this.users.values()) if (u.rec.managerId === id) this.updateUser(u.rec.id, { managerId: null });
    this.unassign(id);
  }

  private setGroupDeleted(id: string, deleted: boolean): void {
    const g = this.requireGroup(id);
    if (g.softDeleted === deleted) return;
    g.softDeleted = deleted;
    this.record({ kind: "group", id, props: "all" });
    this.recordMembershipVisibility(id);
    // A restored group comes back with its members, so delta must list them again.
    for (const memberId of g.members) this.record({ kind: "member", groupId: id, memberId });
  }

  /** A soft delete or restore changes what group delta shows as membership. */
  private recordMembershipVisibility(memberId: string): void {
    for (const groupId of this.memberOf.get(memberId) ?? []) this.record({ kind: "member", groupId, memberId });
  }

  private record(change: DistributiveOmit<Change, "seq">): void {
    this.seq++;
    this.log.push({ ...change, seq: this.seq });
  }

  private requireUser(id: string): StoredUser {
    const u = this.users.get(id);
    if (!u) throw new Error(`No user with id ${id}.`);
    return u;
  }

  private requireGroup(id: string): StoredGroup {
    const g = this.groups.get(id);
    if (!g) throw new Error(`No group with id ${id}.`);
    return g;
  }
}
