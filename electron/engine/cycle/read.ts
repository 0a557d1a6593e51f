import type { Database } from "better-sqlite3";
import type { Profile } from "../../../shared/config/profile";
import { clearStaged, getDeltaLink, getMirrorObjects, loadMirror, putStaged, stageUnlisted } from "../db";
import type { MemberRef, ObjectType, SourceObject } from "../db/types";
import type { Rules } from "../../../shared/config/mappings";
import { graphSelectFor } from "../rules";
import {
  readAssignments,
  readGroupsDelta,
  readUsersDelta,
  streamUsers,
  type Assignments,
  type DeltaResult,
  type GraphClient,
  type GroupDelta,
  type UserDelta,
} from "../source";

export interface SourceSnapshot {
  /**
   * Objects as this cycle sees them: every mirrored object when `complete` says so, otherwise the changed ones (and
   * those looked up since through `mirrorObjects`); the rest of the mirror stays in SQLite.
   */
  users: Map<string, SourceObject>;
  groups: Map<string, SourceObject>;
  complete: { users: boolean; groups: boolean };
  /** null when scope does not depend on assignments. */
  assignments: Assignments | null;
  /** Everything was read from scratch (first cycle, asked for, or the delta link had expired). */
  full: boolean;
  resynced: boolean;
  deltaLinks: { users: string; groups: string };
  /**
   * A full read's users are in the state database's staging table, not in memory (streamed there as read, or moved
   * there by stageUsers): `users` is empty then, and planning and commit take them from there.
   */
  usersStaged?: boolean;
  /** Mirror entries to store at commit: the ids that changed, or "all" after a full read. */
  changed: { users: Set<string> | "all"; groups: Set<string> | "all" };
  /**
   * The groups as the last cycle left them, on incremental cycles that load every group (scope by group or
   * assignment): whose members it selected is compared with this cycle's.
   */
  previousGroups?: Map<string, SourceObject>;
  /**
   * On a changes-only read: per changed group the mirror knew, the members its delta added or removed. The rest of its
   * members are as the last cycle compared them.
   */
  memberChanges?: Map<string, Set<string>>;
}

type Delta = UserDelta | GroupDelta;

/** Graph properties every cycle needs whatever the mappings say (names for logs, scope, memberships). */
const ALWAYS_SELECT = {
  users: ["id", "userPrincipalName", "displayName", "accountEnabled"],
  groups: ["id", "displayName", "members"],
};

/** What to $select from Graph: what the rules read plus what the engine itself needs. */
export function sourceSelect(rules: Rules): { users: string[]; groups: string[] } {
  return {
    users: [...new Set([...ALWAYS_SELECT.users, ...graphSelectFor("users", rules)])],
    groups: [...new Set([...ALWAYS_SELECT.groups, ...graphSelectFor("groups", rules)])],
  };
}

/** Merges one delta into the mirror: Graph may send only the changed properties, so attributes accumulate. */
function mergeDelta(type: ObjectType, previous: SourceObject | undefined, delta: Delta, full: boolean): SourceObject {
  // A full read's attributes are the delta's own (not copied): the read may hold a whole tenant.
  const attributes = full ? (delta.attributes ?? {}) : { ...previous?.attributes, ...delta.attributes };
  const object: SourceObject = { type, id: delta.id, attributes, removed: delta.removed ?? null };
  if (type === "group") {
    const changes = (delta as GroupDelta).members ?? { added: [], removed: [] };
    const kept = full ? [] : (previous?.members ?? []).filter((m) => !changes.removed.includes(m.id));
    const known = new Set(kept.map((m) => m.id));
    const added = changes.added.filter((m): m is MemberRef => m.type !== "other" && !known.has(m.id));
    object.members = [...kept, ...added];
  }
  return object;
}

/**
 * After a full read, objects the mirror knew that Graph no longer lists are gone from the directory. A full read
 * cannot tell soft from permanent deletion, so they count as soft-deleted: disabled, never deleted, on that evidence.
 */
function carryOver(next: Map<string, SourceObject>, previous: Map<string, SourceObject>): void {
  for (const [id, old] of previous) {
    if (!next.has(id)) next.set(id, { ...old, removed: old.removed ?? "changed" });
  }
}

function apply(
  type: ObjectType,
  previous: Map<string, SourceObject>,
  deltas: Map<string, Delta>,
  full: boolean,
): Map<string, SourceObject> {
  const next = full ? new Map<string, SourceObject>() : new Map(previous);
  for (const [id, delta] of deltas) next.set(id, mergeDelta(type, previous.get(id), delta, full));
  if (full) carryOver(next, previous);
  return next;
}

/** The values of reads settled together, or the first failure once all of them have ended. */
export function allOrFirstError<T extends unknown[]>(settled: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}

/** What a changes-only read brought: how many objects changed, and the app's assignments as read now. */
export interface ReadChanges {
  changed: number;
  assignments: Assignments | null;
}

/**
 * Whether a changes-only read should still load every mirrored object of a type (for a full evaluation, or scope),
 * decided once the changes are read when given as a function.
 */
export interface LoadAll {
  users: boolean;
  groups: boolean | ((read: ReadChanges) => boolean);
}

/** Mirror entries looked up while a changes-only read went on (null: not in the mirror). */
type Looked = Map<string, SourceObject | null>;

/** Looks up each page's objects in the mirror as it arrives, while Graph serves the next page. */
function lookUpPages(db: Database, profile: string, type: ObjectType, looked: Looked) {
  return (ids: string[]) => {
    const missing = ids.filter((id) => !looked.has(id));
    const found = getMirrorObjects(db, profile, type, missing);
    for (const id of missing) looked.set(id, found.get(id) ?? null);
  };
}

/** The members each group's delta added (users) or removed, for the groups the mirror knew (`previous`). */
function memberChanges(deltas: Map<string, GroupDelta>, previous: Map<string, SourceObject>) {
  const changes = new Map<string, Set<string>>();
  for (const [id, d] of deltas) {
    if (!previous.has(id)) continue;
    const ids = d.members.added.filter((m) => m.type === "user").map((m) => m.id);
    changes.set(id, new Set([...ids, ...d.members.removed]));
  }
  return changes;
}

/**
 * One type's objects after a read: the changed ones merged over the mirror, or the whole mirror when asked for
 * (`whole`). `previous` is what the mirror held of them before: the whole mirror, or the changed ids it knew.
 */
function merged(
  db: Database,
  profile: string,
  type: ObjectType,
  deltas: Map<string, Delta>,
  full: boolean,
  loadAll: boolean,
  looked: Looked,
): { objects: Map<string, SourceObject>; previous: Map<string, SourceObject>; whole: boolean } {
  if (full || loadAll) {
    const previous = loadMirror(db, profile, type);
    return { objects: apply(type, previous, deltas, full), previous, whole: true };
  }
  lookUpPages(db, profile, type, looked)([...deltas.keys()]);
  const previous = new Map<string, SourceObject>();
  for (const [id, o] of looked) if (o && deltas.has(id)) previous.set(id, o);
  return { objects: apply(type, previous, deltas, false), previous, whole: false };
}

/**
 * A full read of users stored in the staging table as it arrives (a delta Graph sends again for an id adds to it),
 * then the mirror's users it did not list, as soft-deleted. Nothing is held: a large tenant's users never are at once.
 */
async function stageUsersRead(
  db: Database,
  profile: string,
  graph: GraphClient,
  select: string[],
): Promise<DeltaResult & { users: Map<string, UserDelta> }> {
  clearStaged(db, profile, "user");
  const result = await streamUsers(
    graph,
    { select },
    (chunk) => {
      const earlier = getMirrorObjects(db, profile, "user", new Set(chunk.map((d) => d.id)), "staged");
      const merged = new Map<string, SourceObject>();
      for (const d of chunk) merged.set(d.id, mergeDelta("user", merged.get(d.id) ?? earlier.get(d.id), d, false));
      putStaged(db, profile, "user", merged.values());
    },
    () => clearStaged(db, profile, "user"),
  );
  stageUnlisted(db, profile, "user");
  return { ...result, users: new Map() };
}

/**
 * Reads what changed in Entra (or everything) and merges it over the mirror; nothing is stored until commit. A
 * changes-only read loads from the mirror only the changed objects, unless `loadAll` asks for a type's whole mirror.
 * With `stage`, a read of every user (there is no link to read changes from) goes to the staging table instead of
 * memory. `onChange` is told of each page of a changes-only read that holds changes, as it arrives.
 */
export async function readSource(
  db: Database,
  profile: Profile,
  graph: GraphClient,
  select: { users: string[]; groups: string[] },
  full: boolean,
  loadAll: LoadAll = { users: true, groups: true },
  stage = false,
  onChange?: () => void,
): Promise<SourceSnapshot> {
  const links = full
    ? {}
    : { users: getDeltaLink(db, profile.name, "users"), groups: getDeltaLink(db, profile.name, "groups") };
  const staged = stage && !links.users;
  const looked: Record<ObjectType, Looked> = { user: new Map(), group: new Map() };
  // A changes-only read that will not load a type's whole mirror looks up each page's objects as it arrives.
  const pages = (type: ObjectType, loadWhole: LoadAll["groups"]) => {
    const lookUp = loadWhole === false ? lookUpPages(db, profile.name, type, looked[type]) : undefined;
    return {
      onPage: (ids: string[]) => {
        if (ids.length > 0) onChange?.();
        lookUp?.(ids);
      },
    };
  };
  // Settled, not Promise.all: when one read fails, the cycle ends only after the others stop too.
  const [users, groups, assignments] = allOrFirstError(
    await Promise.allSettled([
      staged
        ? stageUsersRead(db, profile.name, graph, select.users)
        : readUsersDelta(graph, {
            select: select.users,
            ...(links.users && { deltaLink: links.users }),
            ...pages("user", loadAll.users),
          }),
      readGroupsDelta(graph, {
        select: select.groups,
        ...(links.groups && { deltaLink: links.groups }),
        ...pages("group", loadAll.groups),
      }),
      profile.source.scope === "assigned"
        ? readAssignments(graph, profile.source.appId, profile.source.tenantId)
        : Promise.resolve(null),
    ]),
  );
  const isFull = users.full || groups.full;
  const loadGroups =
    typeof loadAll.groups === "function"
      ? !isFull && loadAll.groups({ changed: users.users.size + groups.groups.size, assignments })
      : loadAll.groups;
  // Any full read makes the whole cycle full: every object is evaluated, so both types are loaded whole.
  const userObjects = staged
    ? { objects: new Map<string, SourceObject>() }
    : merged(db, profile.name, "user", users.users, users.full, isFull || loadAll.users, looked.user);
  const groupObjects = merged(
    db,
    profile.name,
    "group",
    groups.groups,
    groups.full,
    isFull || loadGroups,
    looked.group,
  );
  return {
    users: userObjects.objects,
    groups: groupObjects.objects,
    ...(staged && { usersStaged: true }),
    complete: { users: isFull || loadAll.users, groups: isFull || loadGroups },
    ...(!isFull && groupObjects.whole && { previousGroups: groupObjects.previous }),
    ...(!isFull && { memberChanges: memberChanges(groups.groups, groupObjects.previous) }),
    assignments,
    full: isFull,
    resynced: users.resynced || groups.resynced,
    deltaLinks: { users: users.deltaLink, groups: groups.deltaLink },
    changed: {
      users: users.full ? "all" : new Set(users.users.keys()),
      groups: groups.full ? "all" : new Set(groups.groups.keys()),
    },
  };
}

/**
 * Objects of `ids` ("all": every one) as the cycle sees them: from the snapshot, else from the mirror (remembered in
 * the snapshot for later phases), or for staged users from the staging table (not remembered: they were staged to
 * leave memory). Ids unknown to both are left out.
 */
export function mirrorObjects(
  db: Database,
  profile: string,
  snapshot: SourceSnapshot,
  type: ObjectType,
  ids: Iterable<string> | "all",
): SourceObject[] {
  const objects = type === "user" ? snapshot.users : snapshot.groups;
  const staged = type === "user" && snapshot.usersStaged === true;
  const complete = !staged && (type === "user" ? snapshot.complete.users : snapshot.complete.groups);
  const table = staged ? "staged" : "mirror";
  if (ids === "all") {
    if (complete) return [...objects.values()];
    const all = loadMirror(db, profile, type, table);
    for (const [id, o] of objects) all.set(id, o);
    return [...all.values()];
  }
  const found: SourceObject[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const o = objects.get(id);
    if (o) found.push(o);
    else if (!complete) missing.push(id);
  }
  for (const o of getMirrorObjects(db, profile, type, missing, table).values()) {
    if (!staged) objects.set(o.id, o);
    found.push(o);
  }
  return found;
}

/**
 * The whole directory as the cycle's mirror would hold it after a full read, without touching the state database:
 * what scope previews decide on. Assignments are read only when `appId` is given (scope "assigned").
 */
export async function readDirectory(
  graph: GraphClient,
  select: { users: string[]; groups: string[] },
  app?: { appId: string; tenantId: string },
): Promise<Pick<SourceSnapshot, "users" | "groups" | "assignments">> {
  // Settled for the same reason as a cycle's read: the connection closes only once every read has stopped.
  const [users, groups, assignments] = allOrFirstError(
    await Promise.allSettled([
      readUsersDelta(graph, { select: select.users }),
      readGroupsDelta(graph, { select: select.groups }),
      app ? readAssignments(graph, app.appId, app.tenantId) : Promise.resolve(null),
    ]),
  );
  return {
    users: apply("user", new Map(), users.users, true),
    groups: apply("group", new Map(), groups.groups, true),
    assignments,
  };
}
