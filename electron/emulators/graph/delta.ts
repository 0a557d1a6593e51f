// /users/delta and /groups/delta. A round is fixed when it starts (full sync: every object;
// incremental: objects changed since the watermark) and rendered page by page from the live
// directory. Big groups are split into several member slices on several pages, replays can be
// injected, and the last page carries a deltaLink whose token holds the new watermark.

import { GraphError } from "./errors";
import { groupSelect, GROUP_PERMISSIONS, GROUP_PROPERTIES } from "./groups";
import type { Prng } from "./prng";
import { DIRECTORY_EXTENSION, parseFilter, parseSelect } from "./query";
import { TokenRegistry } from "./registry";
import { ok, type Ctx, type Reply, type Route } from "./router";
import type { DirectoryStore, ObjectKind } from "./store";
import { DEFAULT_USER_SELECT, USER_PERMISSIONS, USER_PROPERTIES } from "./users";

type Collection = "users" | "groups";

interface Watermark {
  collection: Collection;
  /** Selected properties (without id and relationships). */
  props: string[];
  members: boolean;
  manager: boolean;
  idFilter?: (rec: Record<string, unknown>) => boolean;
  seq: number;
  epoch: number;
}

interface MemberChange {
  id: string;
  removed: boolean;
}

interface Entry {
  id: string;
  /** Properties changed in this round ("all" for a full sync or a new object). */
  changed: readonly string[] | "all";
  members?: MemberChange[];
  /** Later slice of a big group: id and members@delta only. */
  continuation?: boolean;
}

interface Round {
  mark: Watermark;
  entries: Entry[];
  endSeq: number;
  incremental: boolean;
}

interface Position {
  round: Round;
  offset: number;
  epoch: number;
}

export interface DeltaOptions {
  pageSize: () => number;
  /** A group's members@delta is cut into slices of at most this many; a page holds at most this many member changes. */
  membersPerPage: number;
  /** Fraction of entries repeated later in the same round (Graph documents replays). */
  replayRate: number;
  /** Chance that a page before the last comes back empty, with a nextLink (Graph documents empty pages). */
  emptyPageRate: number;
}

const syncStateNotFound = () =>
  new GraphError(
    410,
    "syncStateNotFound",
    "The delta token is expired or unknown. Discard the delta link and restart with a full synchronization (a request without $deltatoken).",
  );

export class DeltaService {
  private readonly marks = new TokenRegistry<Watermark>();
  private readonly positions = new TokenRegistry<Position>();
  private epoch = 0;

  constructor(
    private readonly store: DirectoryStore,
    private readonly prng: Prng,
    private readonly opts: DeltaOptions,
  ) {}

  /** Admin: every delta and skip token issued so far answers 410 syncStateNotFound. */
  expireAll(): void {
    this.epoch++;
    this.marks.clear();
    this.positions.clear();
  }

  routes(): Route[] {
    return [
      {
        method: "GET",
        pattern: /^\/v1\.0\/users\/delta(?:\(\))?\/?$/,
        permissions: USER_PERMISSIONS,
        handler: (ctx) => this.handle(ctx, "users"),
      },
      {
        method: "GET",
        pattern: /^\/v1\.0\/groups\/delta(?:\(\))?\/?$/,
        permissions: GROUP_PERMISSIONS,
        handler: (ctx) => this.handle(ctx, "groups"),
      },
    ];
  }

  private handle(ctx: Ctx, collection: Collection): Reply {
    const minimal = /return=minimal/i.test(String(ctx.req.headers.prefer ?? ""));
    const skip = ctx.query("skiptoken");
    if (skip !== undefined) {
      const pos = this.positions.get(skip);
      if (!pos || pos.epoch !== this.epoch || pos.round.mark.collection !== collection) throw syncStateNotFound();
      return this.page(ctx, pos, minimal);
    }
    const deltaToken = ctx.query("deltatoken");
    if (deltaToken !== undefined && deltaToken.toLowerCase() !== "latest") {
      const mark = this.marks.get(deltaToken);
      if (!mark || mark.epoch !== this.epoch || mark.collection !== collection) throw syncStateNotFound();
      return this.page(ctx, { round: this.incrementalRound(mark), offset: 0, epoch: this.epoch }, minimal);
    }
    const mark = this.initialMark(ctx, collection);
    // $deltatoken=latest: no objects, just a deltaLink that starts from now.
    const entries = deltaToken === undefined ? this.fullEntries(mark) : [];
    return this.page(
      ctx,
      {
        round: { mark, entries: this.withReplays(entries), endSeq: mark.seq, incremental: false },
        offset: 0,
        epoch: this.epoch,
      },
      minimal,
    );
  }

  private initialMark(ctx: Ctx, collection: Collection): Watermark {
    const relationship = collection === "users" ? "manager" : "members";
    const raw = ctx.query("select");
    const selected =
      collection === "users"
        ? (parseSelect(raw, [...USER_PROPERTIES, "manager"], "user", DIRECTORY_EXTENSION) ?? [...DEFAULT_USER_SELECT])
        : (groupSelect(raw, ["members"]) ?? [...GROUP_PROPERTIES, "members"]);
    const filterRaw = ctx.query("filter");
    const idFilter = filterRaw
      ? parseFilter(filterRaw, {
          typeName: collection === "users" ? "user" : "group",
          known: collection === "users" ? USER_PROPERTIES : GROUP_PROPERTIES,
          eq: ["id"],
          startsWith: [],
        })
      : undefined;
    return {
      collection,
      props: selected.filter((p) => p !== "id" && p !== relationship),
      members: selected.includes("members"),
      manager: selected.includes("manager"),
      idFilter,
      seq: this.store.seq,
      epoch: this.epoch,
    };
  }

  private fullEntries(mark: Watermark): Entry[] {
    const keep = (id: string) => !mark.idFilter || mark.idFilter({ id });
    if (mark.collection === "users") {
      return this.store
        .activeUsers()
        .filter((u) => keep(u.id))
        .map((u) => ({ id: u.id, changed: "all" as const }));
    }
    const entries: Entry[] = [];
    for (const {
      rec: { id },
    } of this.store.activeGroups()) {
      if (!keep(id)) continue;
      const members = mark.members ? this.store.visibleMembers(id).map((m) => ({ id: m, removed: false })) : undefined;
      entries.push(...this.sliced({ id, changed: "all", members }));
    }
    return entries;
  }

  private incrementalRound(mark: Watermark): Round {
    const changedProps = new Map<string, Set<string> | "all">();
    const touchedMembers = new Map<string, Set<string>>();
    const kind: ObjectKind = mark.collection === "users" ? "user" : "group";
    for (const c of this.store.changesSince(mark.seq)) {
      if (c.kind === "member") {
        if (kind !== "group" || !mark.members) continue;
        const set = touchedMembers.get(c.groupId) ?? new Set<string>();
        set.add(c.memberId);
        touchedMembers.set(c.groupId, set);
        if (!changedProps.has(c.groupId)) changedProps.set(c.groupId, new Set());
        continue;
      }
      if (c.kind !== kind) continue;
      const prev = changedProps.get(c.id);
      if (c.props === "all" || prev === "all") changedProps.set(c.id, "all");
      else changedProps.set(c.id, new Set([...(prev ?? []), ...c.props]));
    }
    const tracked = new Set([...mark.props, ...(mark.manager ? ["manager"] : [])]);
    const entries: Entry[] = [];
    for (const [id, props] of changedProps) {
      if (mark.idFilter && !mark.idFilter({ id })) continue;
      const members = [...(touchedMembers.get(id) ?? [])].map((m) => ({ id: m, removed: !this.isMemberNow(id, m) }));
      const relevant = props === "all" ? "all" : [...props].filter((p) => tracked.has(p));
      // Changes to properties the round does not track produce no entry, as in Graph.
      if (relevant !== "all" && relevant.length === 0 && members.length === 0) continue;
      entries.push(
        ...this.sliced({ id, changed: relevant, members: kind === "group" && mark.members ? members : undefined }),
      );
    }
    return { mark, entries: this.withReplays(entries), endSeq: this.store.seq, incremental: true };
  }

  private isMemberNow(groupId: string, memberId: string): boolean {
    return (this.store.findGroup(groupId)?.members.has(memberId) ?? false) && this.store.isVisible(memberId);
  }

  /** One entry per slice of members@delta, so a big group spans several pages. */
  private sliced(entry: Entry): Entry[] {
    const members = entry.members;
    const size = this.opts.membersPerPage;
    if (!members || members.length <= size) return [entry];
    const out: Entry[] = [];
    for (let i = 0; i < members.length; i += size) {
      out.push({ id: entry.id, changed: entry.changed, members: members.slice(i, i + size), continuation: i > 0 });
    }
    return out;
  }

  /** Repeats some entries at least a page later (so on a later page), as Graph's documented replays. */
  private withReplays(entries: Entry[]): Entry[] {
    if (this.opts.replayRate <= 0) return entries;
    const pageSize = this.opts.pageSize();
    const later = new Map<number, Entry[]>();
    const out: Entry[] = [];
    entries.forEach((entry, i) => {
      out.push(entry, ...(later.get(i) ?? []));
      if (!this.prng.chance(this.opts.replayRate)) return;
      const at = Math.min(entries.length - 1, i + pageSize + this.prng.int(pageSize));
      if (at >= i + pageSize) later.set(at, [...(later.get(at) ?? []), { ...entry }]);
    });
    return out;
  }

  private page(ctx: Ctx, pos: Position, minimal: boolean): Reply {
    const { round } = pos;
    const value: Record<string, unknown>[] = [];
    let offset = pos.offset;
    let memberCount = 0;
    const empty =
      offset < round.entries.length && this.opts.emptyPageRate > 0 && this.prng.chance(this.opts.emptyPageRate);
    while (!empty && offset < round.entries.length && value.length < this.opts.pageSize()) {
      const entry = round.entries[offset] as Entry;
      const n = entry.members?.length ?? 0;
      if (value.length > 0 && memberCount + n > this.opts.membersPerPage) break;
      memberCount += n;
      value.push(this.render(entry, round, minimal && round.incremental));
      offset++;
    }
    const path = `${ctx.baseUrl}/v1.0/${round.mark.collection}/delta`;
    const body: Record<string, unknown> = {
      "@odata.context": `${ctx.baseUrl}/v1.0/$metadata#${round.mark.collection}`,
    };
    if (offset < round.entries.length) {
      body["@odata.nextLink"] = `${path}?$skiptoken=${this.positions.issue({ round, offset, epoch: pos.epoch })}`;
    } else {
      body["@odata.deltaLink"] =
        `${path}?$deltatoken=${this.marks.issue({ ...round.mark, seq: round.endSeq, epoch: pos.epoch })}`;
    }
    body.value = value;
    return ok(body);
  }

  private render(entry: Entry, round: Round, minimal: boolean): Record<string, unknown> {
    const { mark } = round;
    const user = this.store.users.get(entry.id);
    const group = this.store.groups.get(entry.id);
    const record = mark.collection === "users" ? user?.rec : group?.rec;
    if (!record) return { id: entry.id, "@removed": { reason: "deleted" } };
    if (mark.collection === "users" ? user?.softDeleted : group?.softDeleted)
      return { id: entry.id, "@removed": { reason: "changed" } };
    const out: Record<string, unknown> = {};
    if (!entry.continuation) {
      const src = record as unknown as Record<string, unknown>;
      for (const p of mark.props) {
        const changed = entry.changed === "all" || entry.changed.includes(p);
        if (minimal && !changed) continue;
        const v = src[p] ?? null;
        // Graph leaves out properties that were never set, but reports a change to null.
        if (v === null && (entry.changed === "all" || !changed)) continue;
        out[p] = v;
      }
    }
    out.id = entry.id;
    if (mark.manager && user && !entry.continuation) {
      const managerChanged = entry.changed === "all" || entry.changed.includes("manager");
      const managerId = user.rec.managerId;
      if (managerId && (managerChanged || !minimal))
        out["manager@delta"] = [{ "@odata.type": "#microsoft.graph.user", id: managerId }];
      else if (!managerId && managerChanged && entry.changed !== "all") out["manager@delta"] = [];
    }
    if (entry.members && entry.members.length > 0) {
      out["members@delta"] = entry.members.map((m) => ({
        "@odata.type": `#microsoft.graph.${this.store.kindOf(m.id) ?? this.store.purged.get(m.id) ?? "user"}`,
        id: m.id,
        ...(m.removed ? { "@removed": { reason: "deleted" } } : {}),
      }));
    }
    return out;
  }
}
