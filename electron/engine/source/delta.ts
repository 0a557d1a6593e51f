import { GraphError } from "./errors";
import type { GraphClient, GraphPage } from "./graph-client";

export type RemovedReason = "changed" | "deleted";

export interface UserDelta {
  id: string;
  /** "changed": soft-deleted (restorable for 30 days); "deleted": gone for good. Absent for live (or restored) users. */
  removed?: RemovedReason;
  /**
   * Graph properties as returned (`manager`: the manager's object id, or null). On a changes-only read Graph may
   * send only the properties that changed.
   */
  attributes?: Record<string, unknown>;
}

export type MemberType = "user" | "group" | "other";

export interface GroupDelta {
  id: string;
  removed?: RemovedReason;
  attributes?: Record<string, unknown>;
  /** Direct membership changes; on a full read `added` is the complete direct membership. */
  members: { added: { id: string; type: MemberType }[]; removed: string[] };
}

export interface DeltaResult {
  /** True when everything was read from scratch: no link was given, or it was rejected and the read restarted. */
  full: boolean;
  /** The stored link was rejected (expired or unknown), so a full read replaced the changes-only one. */
  resynced: boolean;
  /** Store this and pass it next time to read only what changed since. */
  deltaLink: string;
}

interface DeltaItem {
  id: string;
  "@removed"?: { reason?: string };
  "members@delta"?: MemberItem[];
  [property: string]: unknown;
}

interface MemberItem {
  id: string;
  "@odata.type"?: string;
  "@removed"?: unknown;
}

/** Graph's answers to a delta or next link it no longer knows (casing varies between services). */
const RESYNC_CODES = new Set(["syncstatenotfound", "resyncrequired"]);

function isLinkRejected(err: unknown): boolean {
  return (
    err instanceof GraphError && (err.status === 400 || err.status === 410) && RESYNC_CODES.has(err.code.toLowerCase())
  );
}

/**
 * Follows a delta round (from `deltaLink`, else `fullStart`) to its deltaLink, handing each item to `onItem` and then,
 * in a changes-only round, each page's ids to `onPage`. A rejected link restarts once from `fullStart` (calling
 * `reset` first, as items already collected belong to the abandoned round). The next page is asked for before a page
 * is handled: Graph serves it meanwhile.
 */
async function runDelta(
  client: GraphClient,
  fullStart: string,
  deltaLink: string | undefined,
  onItem: (item: DeltaItem) => void,
  reset: () => void,
  onPage?: (ids: string[]) => void,
): Promise<DeltaResult> {
  let full = !deltaLink;
  let resynced = false;
  let next = deltaLink ?? fullStart;
  const get = (link: string) => {
    const page = client.get<GraphPage<DeltaItem>>(link);
    // Awaited in the next turn; a failure while this page's items are handled must not count as unhandled.
    page.catch(() => undefined);
    return page;
  };
  let pending = get(next);
  for (;;) {
    let page: GraphPage<DeltaItem>;
    try {
      page = await pending;
    } catch (err) {
      if (resynced || !isLinkRejected(err)) throw err;
      reset();
      full = true;
      resynced = true;
      next = fullStart;
      pending = get(next);
      continue;
    }
    const following = page["@odata.nextLink"];
    if (following) pending = get(following);
    const items = page.value ?? [];
    try {
      for (const item of items) onItem(item);
      if (!full) onPage?.(items.map((item) => item.id));
    } catch (error) {
      // The page asked for ahead is answered before the read ends: no request outlives it.
      if (following) await pending.catch(() => undefined);
      throw error;
    }
    if (following) next = following;
    else if (page["@odata.deltaLink"]) return { full, resynced, deltaLink: page["@odata.deltaLink"] };
    else
      throw new Error(
        `Microsoft Graph ended a delta page without @odata.nextLink or @odata.deltaLink (after ${next}).`,
      );
  }
}

function removedReason(item: DeltaItem): RemovedReason | undefined {
  if (!item["@removed"]) return undefined;
  return item["@removed"].reason === "deleted" ? "deleted" : "changed";
}

/**
 * Graph properties of an item, without the id and the annotations handled separately. The manager relationship
 * (manager@delta) becomes a plain `manager` attribute holding the manager's object id, or null once removed.
 */
function attributesOf(item: DeltaItem): Record<string, unknown> {
  const { id: _id, "@removed": _removed, "members@delta": _members, "manager@delta": manager, ...rest } = item;
  const attributes = Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith("@odata.")));
  if (Array.isArray(manager)) attributes.manager = (manager as MemberItem[]).find((m) => !m["@removed"])?.id ?? null;
  return attributes;
}

/** A later occurrence (replay or continuation) wins for the removed state and adds to the attributes. */
function merge(base: UserDelta, item: DeltaItem): UserDelta {
  const attributes = { ...base.attributes, ...attributesOf(item) };
  const removed = removedReason(item);
  return { id: base.id, ...(removed && { removed }), ...(Object.keys(attributes).length > 0 && { attributes }) };
}

function selectQuery(select: string[]): string {
  return select.length ? `?$select=${select.join(",")}` : "";
}

/** Users handed over at a time by a streamed read. */
const CHUNK = 1000;

/**
 * A full read of every user, handed to `onChunk` as it arrives instead of held (a large tenant's first cycle stores
 * them as they come). An id Graph sends again in the round comes again as a further delta of that user; `onRestart`
 * drops what was handed over when Graph makes the round start again.
 */
export async function streamUsers(
  client: GraphClient,
  options: { select: string[] },
  onChunk: (users: UserDelta[]) => void,
  onRestart: () => void,
): Promise<DeltaResult> {
  let chunk: UserDelta[] = [];
  const flush = () => {
    if (chunk.length > 0) onChunk(chunk);
    chunk = [];
  };
  const result = await runDelta(
    client,
    `/users/delta${selectQuery(options.select)}`,
    undefined,
    (item) => {
      chunk.push(merge({ id: item.id }, item));
      if (chunk.length === CHUNK) flush();
    },
    () => {
      chunk = [];
      onRestart();
    },
  );
  flush();
  return result;
}

/** A read's options: `onPage` is told each page's ids of a changes-only round (the next page is on its way then). */
export interface DeltaReadOptions {
  select: string[];
  deltaLink?: string;
  onPage?: (ids: string[]) => void;
}

export async function readUsersDelta(
  client: GraphClient,
  options: DeltaReadOptions,
): Promise<DeltaResult & { users: Map<string, UserDelta> }> {
  const users = new Map<string, UserDelta>();
  const result = await runDelta(
    client,
    `/users/delta${selectQuery(options.select)}`,
    options.deltaLink,
    (item) => users.set(item.id, merge(users.get(item.id) ?? { id: item.id }, item)),
    () => users.clear(),
    options.onPage,
  );
  return { ...result, users };
}

function memberType(odataType: string | undefined): MemberType {
  if (odataType === "#microsoft.graph.user") return "user";
  if (odataType === "#microsoft.graph.group") return "group";
  return "other";
}

/** Membership changes of one group accumulated in arrival order; a later add or remove of the same member wins. */
class MemberChanges {
  readonly added = new Map<string, MemberType>();
  readonly removed = new Set<string>();

  apply(items: MemberItem[]): void {
    for (const m of items) {
      if (m["@removed"]) {
        this.added.delete(m.id);
        this.removed.add(m.id);
      } else {
        this.removed.delete(m.id);
        this.added.set(m.id, memberType(m["@odata.type"]));
      }
    }
  }

  toJSON(): GroupDelta["members"] {
    return { added: [...this.added].map(([id, type]) => ({ id, type })), removed: [...this.removed] };
  }
}

/** "members" is added to `select` when missing: without it Graph sends no membership changes (members@delta). */
export async function readGroupsDelta(
  client: GraphClient,
  options: DeltaReadOptions,
): Promise<DeltaResult & { groups: Map<string, GroupDelta> }> {
  const found = new Map<string, { group: Omit<GroupDelta, "members">; members: MemberChanges }>();
  const result = await runDelta(
    client,
    `/groups/delta${selectQuery(options.select.includes("members") ? options.select : [...options.select, "members"])}`,
    options.deltaLink,
    (item) => {
      const entry = found.get(item.id) ?? { group: { id: item.id }, members: new MemberChanges() };
      entry.group = merge(entry.group, item);
      entry.members.apply(item["members@delta"] ?? []);
      found.set(item.id, entry);
    },
    () => found.clear(),
    options.onPage,
  );
  const groups = new Map<string, GroupDelta>();
  for (const [id, { group, members }] of found) groups.set(id, { ...group, members: members.toJSON() });
  return { ...result, groups };
}
