import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { scimError } from "./errors";
import type { ScimGroup, ScimMember, ScimMeta, ScimUser } from "./types";

export type UserAttributes = Omit<ScimUser, "id" | "meta">;
export interface GroupAttributes {
  displayName: string;
  externalId?: string;
}
/** A member as a client names it: `type` is optional and checked against what the id really is. */
export interface MemberRef {
  value?: unknown;
  type?: unknown;
}
export type MemberType = ScimMember["type"];
/** A group as persisted: members without the derived `display`. */
export type StoredGroup = Omit<ScimGroup, "members"> & { members: { value: string; type: MemberType }[] };

interface GroupRecord extends GroupAttributes {
  id: string;
  /** Insertion-ordered, O(1) add/remove even for groups of tens of thousands. */
  members: Map<string, MemberType>;
  meta: ScimMeta;
}

/** Write-through sink (SQLite) so the store survives restarts. */
export interface StoreSink {
  saveUser(user: ScimUser): void;
  deleteUser(id: string): void;
  saveGroup(group: StoredGroup): void;
  deleteGroup(id: string): void;
  clear(): void;
}

/** One membership change of a PATCH or PUT, applied in request order. */
export type MemberStep =
  | { op: "add" | "replace"; refs: MemberRef[] }
  /** Without ids or where: remove every member. */
  | { op: "remove"; ids?: string[]; where?: (m: { value: string; type: MemberType }) => boolean };

function newMeta(resourceType: ScimMeta["resourceType"]): ScimMeta {
  const now = new Date().toISOString();
  return { resourceType, created: now, lastModified: now, version: 'W/"1"' };
}

function bumped(meta: ScimMeta): ScimMeta {
  const revision = Number(/\d+/.exec(meta.version)?.[0] ?? "0") + 1;
  return { ...meta, lastModified: new Date().toISOString(), version: `W/"${revision}"` };
}

const key = (s: string) => s.toLowerCase();

/**
 * Users and groups in memory with the indexes list filters need: userName and group displayName are unique
 * case-insensitively (RFC 7643 caseExact false) and looked up in O(1); memberOf lets deletes drop memberships.
 */
export class ScimStore {
  private readonly users = new Map<string, ScimUser>();
  private readonly userNames = new Map<string, string>();
  private readonly groups = new Map<string, GroupRecord>();
  private readonly groupNames = new Map<string, string>();
  private readonly memberOf = new Map<string, Set<string>>();

  constructor(private readonly sink?: StoreSink) {}

  load(users: ScimUser[], groups: StoredGroup[]): void {
    for (const u of users) this.indexUser(u);
    for (const g of groups) {
      const { members, ...rest } = g;
      const record: GroupRecord = { ...rest, members: new Map() };
      this.indexGroup(record);
      for (const m of members) this.link(record, m.value, m.type);
    }
  }

  clear(): void {
    for (const m of [this.users, this.userNames, this.groups, this.groupNames, this.memberOf]) m.clear();
    this.sink?.clear();
  }

  // ---- users ----

  allUsers(): ScimUser[] {
    return [...this.users.values()];
  }

  getUser(id: string): ScimUser | undefined {
    return this.users.get(id);
  }

  findUserByName(userName: string): ScimUser | undefined {
    const id = this.userNames.get(key(userName));
    return id === undefined ? undefined : this.users.get(id);
  }

  createUser(attrs: UserAttributes): ScimUser {
    this.assertUserNameFree(attrs.userName);
    const user: ScimUser = { ...attrs, id: randomUUID(), meta: newMeta("User") };
    this.indexUser(user);
    this.sink?.saveUser(user);
    return user;
  }

  /** PUT and PATCH both end here (scimmy applies PATCH ops, then writes the whole resource). */
  replaceUser(id: string, attrs: UserAttributes): ScimUser {
    const old = this.users.get(id);
    if (!old) throw scimError(404, null, `User ${id} not found`);
    const { id: _id, meta: _meta, ...oldAttrs } = old;
    if (isDeepStrictEqual(oldAttrs, attrs)) return old; // no change: keep version and lastModified
    if (key(attrs.userName) !== key(old.userName)) this.assertUserNameFree(attrs.userName);
    this.userNames.delete(key(old.userName));
    const user: ScimUser = { ...attrs, id, meta: bumped(old.meta) };
    this.indexUser(user);
    this.sink?.saveUser(user);
    return user;
  }

  deleteUser(id: string): void {
    const user = this.users.get(id);
    if (!user) throw scimError(404, null, `User ${id} not found`);
    this.dropFromGroups(id);
    this.users.delete(id);
    this.userNames.delete(key(user.userName));
    this.sink?.deleteUser(id);
  }

  // ---- groups ----

  allGroupIds(): string[] {
    return [...this.groups.keys()];
  }

  hasGroup(id: string): boolean {
    return this.groups.has(id);
  }

  findGroupIdByName(displayName: string): string | undefined {
    return this.groupNames.get(key(displayName));
  }

  /** The group as SCIM shows it; members omitted (empty) when the caller excluded them, which avoids copying big groups. */
  getGroup(id: string, withMembers = true): ScimGroup | undefined {
    const g = this.groups.get(id);
    if (!g) return undefined;
    const members: ScimMember[] = [];
    if (withMembers) for (const [value, type] of g.members) members.push({ value, type, ...this.display(value, type) });
    return {
      id: g.id,
      displayName: g.displayName,
      ...(g.externalId !== undefined ? { externalId: g.externalId } : {}),
      members,
      meta: { ...g.meta },
    };
  }

  createGroup(attrs: GroupAttributes, members: MemberRef[] = []): ScimGroup {
    this.assertGroupNameFree(attrs.displayName);
    const id = randomUUID();
    const resolved = members.map((m) => this.resolveMember(m, id));
    const record: GroupRecord = { ...attrs, id, members: new Map(), meta: newMeta("Group") };
    this.indexGroup(record);
    for (const [value, type] of resolved) this.link(record, value, type);
    this.persistGroup(record);
    return this.getGroup(id) as ScimGroup;
  }

  /** Validates everything first, then applies: a PATCH or PUT either fully happens or not at all. */
  updateGroup(id: string, attrs: GroupAttributes, steps: MemberStep[]): void {
    const g = this.groups.get(id);
    if (!g) throw scimError(404, null, `Group ${id} not found`);
    if (key(attrs.displayName) !== key(g.displayName)) this.assertGroupNameFree(attrs.displayName);
    const resolved = steps.map((s) =>
      s.op === "remove" ? s : { op: s.op, members: s.refs.map((m) => this.resolveMember(m, id)) },
    );

    let changed = attrs.displayName !== g.displayName || attrs.externalId !== g.externalId;
    this.groupNames.delete(key(g.displayName));
    this.groupNames.set(key(attrs.displayName), id);
    g.displayName = attrs.displayName;
    if (attrs.externalId === undefined) delete g.externalId;
    else g.externalId = attrs.externalId;
    for (const step of resolved) {
      if (step.op === "remove") {
        const doomed =
          step.ids ?? [...g.members].filter(([value, type]) => step.where?.({ value, type }) ?? true).map(([v]) => v);
        for (const value of doomed) changed = this.unlink(g, value) || changed;
        continue;
      }
      if (step.op === "replace") {
        const keep = new Set(step.members.map(([value]) => value));
        for (const value of [...g.members.keys()]) if (!keep.has(value)) changed = this.unlink(g, value) || changed;
      }
      for (const [value, type] of step.members) changed = this.link(g, value, type) || changed;
    }
    if (!changed) return;
    g.meta = bumped(g.meta);
    this.persistGroup(g);
  }

  deleteGroup(id: string): void {
    const g = this.groups.get(id);
    if (!g) throw scimError(404, null, `Group ${id} not found`);
    this.dropFromGroups(id);
    for (const value of [...g.members.keys()]) this.unlink(g, value);
    this.groups.delete(id);
    this.groupNames.delete(key(g.displayName));
    this.sink?.deleteGroup(id);
  }

  // ---- internals ----

  private indexUser(user: ScimUser): void {
    this.users.set(user.id, user);
    this.userNames.set(key(user.userName), user.id);
  }

  private indexGroup(g: GroupRecord): void {
    this.groups.set(g.id, g);
    this.groupNames.set(key(g.displayName), g.id);
  }

  private assertUserNameFree(userName: string): void {
    const taken = this.userNames.get(key(userName));
    if (taken !== undefined)
      throw scimError(409, "uniqueness", `userName "${userName}" is already used by user ${taken}`);
  }

  private assertGroupNameFree(displayName: string): void {
    const taken = this.groupNames.get(key(displayName));
    if (taken !== undefined) {
      throw scimError(409, "uniqueness", `Group displayName "${displayName}" is already used by group ${taken}`);
    }
  }

  /** Members must reference an existing user or group, with a matching type when one is given. */
  private resolveMember(ref: MemberRef, groupId: string): [string, MemberType] {
    const value = ref.value;
    if (typeof value !== "string" || value === "") {
      throw scimError(400, "invalidValue", "Every member needs a non-empty string 'value' (the id of a user or group)");
    }
    const actual: MemberType | undefined = this.users.has(value)
      ? "User"
      : this.groups.has(value)
        ? "Group"
        : undefined;
    if (!actual) throw scimError(400, "invalidValue", `Member "${value}" is not the id of an existing user or group`);
    if (value === groupId) throw scimError(400, "invalidValue", "A group cannot be a member of itself");
    if (ref.type !== undefined && (typeof ref.type !== "string" || ref.type.toLowerCase() !== actual.toLowerCase())) {
      throw scimError(400, "invalidValue", `Member "${value}" is a ${actual}, not a ${String(ref.type)}`);
    }
    return [value, actual];
  }

  /** Returns whether the member list changed. */
  private link(g: GroupRecord, value: string, type: MemberType): boolean {
    if (g.members.has(value)) return false;
    g.members.set(value, type);
    let set = this.memberOf.get(value);
    if (!set) this.memberOf.set(value, (set = new Set()));
    set.add(g.id);
    return true;
  }

  private unlink(g: GroupRecord, value: string): boolean {
    if (!g.members.delete(value)) return false;
    const set = this.memberOf.get(value);
    set?.delete(g.id);
    if (set?.size === 0) this.memberOf.delete(value);
    return true;
  }

  /** RFC 7644 §3.6: a deleted resource disappears from every group that listed it. */
  private dropFromGroups(memberId: string): void {
    for (const groupId of [...(this.memberOf.get(memberId) ?? [])]) {
      const g = this.groups.get(groupId);
      if (!g) continue;
      this.unlink(g, memberId);
      g.meta = bumped(g.meta);
      this.persistGroup(g);
    }
  }

  private display(value: string, type: MemberType): { display?: string } {
    const name =
      type === "User"
        ? (this.users.get(value)?.displayName ?? this.users.get(value)?.userName)
        : this.groups.get(value)?.displayName;
    return name === undefined ? {} : { display: name };
  }

  private persistGroup(g: GroupRecord): void {
    if (!this.sink) return;
    const { members, ...rest } = g;
    this.sink.saveGroup({ ...rest, members: [...members].map(([value, type]) => ({ value, type })) });
  }
}
