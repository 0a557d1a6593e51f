// In-process control of a running emulator for tests and the demo: change the directory
// (every change lands in the change log, so delta reports it), expire tokens, throttle.

import type { DeltaService } from "./delta";
import type { DirectoryStore, NewGroup, NewUser } from "./store";
import type { Throttle } from "./throttle";
import type { TokenService } from "./token";
import type {
  AppRecord,
  AppRoleAssignmentRecord,
  ClientRegistration,
  GroupRecord,
  ThrottleRule,
  UserRecord,
} from "./types";

export interface DirectoryAdmin {
  readonly app: AppRecord;
  /** Any user, soft-deleted ones included (by id or userPrincipalName). */
  getUser(idOrUpn: string): (UserRecord & { softDeleted: boolean }) | undefined;
  /** Any group, soft-deleted ones included. */
  getGroup(id: string): (GroupRecord & { softDeleted: boolean }) | undefined;
  /** Users that Graph reads can see (not soft-deleted). */
  listUsers(): UserRecord[];
  /** Groups that Graph reads can see (not soft-deleted). */
  listGroups(): GroupRecord[];
  listAssignments(): AppRoleAssignmentRecord[];

  addUser(user: NewUser): UserRecord;
  updateUser(id: string, patch: Partial<Omit<UserRecord, "id">>): UserRecord;
  disableUser(id: string): UserRecord;
  enableUser(id: string): UserRecord;
  setManager(userId: string, managerId: string | null): UserRecord;
  /** Moves the user to the recycle bin: delta reports @removed reason "changed". */
  softDeleteUser(id: string): void;
  restoreUser(id: string): void;
  /** Permanent delete: delta reports @removed reason "deleted". */
  purgeUser(id: string): void;

  createGroup(group: NewGroup): GroupRecord;
  renameGroup(id: string, displayName: string): void;
  updateGroup(id: string, patch: Partial<Omit<GroupRecord, "id" | "members">>): void;
  /** Permanent delete: delta reports @removed reason "deleted". */
  deleteGroup(id: string): void;
  /** Recycle-bin delete (Microsoft 365 groups): delta reports @removed reason "changed"; restorable. */
  softDeleteGroup(id: string): void;
  restoreGroup(id: string): void;
  /** memberId may be a user or a group (nesting). */
  addMember(groupId: string, memberId: string): void;
  removeMember(groupId: string, memberId: string): void;

  /** Assigns a user or group to the enterprise app (default: the app's first role). */
  assign(principalId: string, appRoleId?: string): AppRoleAssignmentRecord;
  /** Removes every assignment of the principal; returns how many. */
  unassign(principalId: string): number;

  /** Every delta/skip token issued so far answers 410 syncStateNotFound. */
  expireDeltaTokens(): void;
  /** Every access token issued so far answers 401 InvalidAuthenticationToken. */
  expireAccessTokens(): void;
  /**
   * Replaces an app registration: a rotated or expired secret, permissions granted or revoked. Tokens already issued
   * keep their permissions until they expire, as in Entra.
   */
  registerClient(client: ClientRegistration): void;
  /** Answer matching requests with 429/503/504 (see ThrottleRule); null switches throttling off. */
  setThrottling(rule: ThrottleRule | null): void;
}

export function createAdmin(
  store: DirectoryStore,
  delta: DeltaService,
  tokens: TokenService,
  throttle: Throttle,
): DirectoryAdmin {
  const group = (id: string) => {
    const g = store.groups.get(id);
    return g ? { ...g.rec, members: [...g.members], softDeleted: g.softDeleted } : undefined;
  };
  return {
    app: store.app,
    getUser: (idOrUpn) => {
      const id = store.resolveUserId(idOrUpn);
      const u = id ? store.users.get(id) : undefined;
      return u ? { ...u.rec, softDeleted: u.softDeleted } : undefined;
    },
    getGroup: group,
    listUsers: () => store.activeUsers().map((u) => ({ ...u })),
    listGroups: () => store.activeGroups().map((g) => ({ ...g.rec, members: [...g.members] })),
    listAssignments: () => [...store.assignments.values()].map((a) => ({ ...a })),
    addUser: (u) => ({ ...store.addUser(u) }),
    updateUser: (id, patch) => ({ ...store.updateUser(id, patch) }),
    disableUser: (id) => ({ ...store.updateUser(id, { accountEnabled: false }) }),
    enableUser: (id) => ({ ...store.updateUser(id, { accountEnabled: true }) }),
    setManager: (userId, managerId) => {
      if (managerId && !store.users.has(managerId)) throw new Error(`No user with id ${managerId}.`);
      return { ...store.updateUser(userId, { managerId }) };
    },
    softDeleteUser: (id) => store.softDeleteUser(id),
    restoreUser: (id) => store.restoreUser(id),
    purgeUser: (id) => store.purgeUser(id),
    createGroup: (g) => store.createGroup(g),
    renameGroup: (id, displayName) => store.updateGroup(id, { displayName }),
    updateGroup: (id, patch) => store.updateGroup(id, patch),
    deleteGroup: (id) => store.deleteGroup(id),
    softDeleteGroup: (id) => store.softDeleteGroup(id),
    restoreGroup: (id) => store.restoreGroup(id),
    addMember: (groupId, memberId) => store.addMember(groupId, memberId),
    removeMember: (groupId, memberId) => store.removeMember(groupId, memberId),
    assign: (principalId, appRoleId) => ({ ...store.assign(principalId, appRoleId) }),
    unassign: (principalId) => store.unassign(principalId),
    expireDeltaTokens: () => delta.expireAll(),
    expireAccessTokens: () => tokens.expireAll(),
    registerClient: (client) => tokens.register(client),
    setThrottling: (rule) => throttle.set(rule),
  };
}
