import SCIMMY from "scimmy";
import { scimError } from "./errors";
import { matchesAll, parseEqFilter, parseOtherFilter, type EqClause } from "./filter";
import type { ScimStore } from "./store";
import { CORE_USER_SCHEMA, LIST_RESPONSE_SCHEMA, SPLASHTOP_USER_SCHEMA, type ScimGroup, type ScimUser } from "./types";

export interface PageLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

type Query = Record<string, unknown>;

function param(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw scimError(400, "invalidSyntax", `Query parameter '${name}' must be given once`);
  return v;
}

function integerParam(query: Query, name: string): number | undefined {
  const v = param(query, name);
  if (v === undefined) return undefined;
  if (!/^\s*-?\d+\s*$/.test(v))
    throw scimError(400, "invalidValue", `Query parameter '${name}' must be an integer, got "${v}"`);
  return Number(v);
}

/** RFC 7644 §3.4.2.4: startIndex below 1 means 1, negative count means 0; we also cap count at the page limit. */
function paging(query: Query, limits: PageLimits): { startIndex: number; count: number } {
  const startIndex = Math.max(integerParam(query, "startIndex") ?? 1, 1);
  const count = Math.min(Math.max(integerParam(query, "count") ?? limits.defaultPageSize, 0), limits.maxPageSize);
  return { startIndex, count };
}

/** The attributes/excludedAttributes projection, parsed (and validated) by scimmy. */
export function projection(query: Query): SCIMMY.Types.Filter | undefined {
  const attributes = param(query, "attributes");
  const excludedAttributes = param(query, "excludedAttributes");
  return new SCIMMY.Resources.Group(undefined, {
    ...(attributes !== undefined ? { attributes } : {}),
    ...(excludedAttributes !== undefined ? { excludedAttributes } : {}),
  }).attributes;
}

/** Whether a group answer should carry members: `attributes` wins over `excludedAttributes` (RFC 7644 §3.9). */
export function wantsMembers(query: Query): boolean {
  const names = (p: string | undefined) => (p ?? "").split(",").map((a) => a.trim().toLowerCase().split(".")[0]);
  const attributes = param(query, "attributes");
  if (attributes !== undefined) return names(attributes).includes("members");
  return !names(param(query, "excludedAttributes")).includes("members");
}

/**
 * A stored user as SCIM shows it. Stored users were coerced by scimmy on the way in, so the full view is assembled
 * directly (scimmy's outbound coercion costs ~0.3 ms per user); projections still go through scimmy.
 */
export function presentUser(user: ScimUser, base: string, attrs?: SCIMMY.Types.Filter): object {
  if (attrs) return new SCIMMY.Schemas.User(user, "out", `${base}/Users`, attrs);
  const { id, externalId, meta, ...rest } = user;
  return {
    schemas: [CORE_USER_SCHEMA, ...(user[SPLASHTOP_USER_SCHEMA] ? [SPLASHTOP_USER_SCHEMA] : [])],
    id,
    ...(externalId !== undefined ? { externalId } : {}),
    meta: { ...meta, location: `${base}/Users/${id}` },
    ...rest,
  };
}

/** scimmy coerces member lists at ~50 µs per member, so members are added here, after scimmy formats the rest. */
export function presentGroup(
  group: ScimGroup,
  base: string,
  attrs: SCIMMY.Types.Filter | undefined,
  withMembers: boolean,
): object {
  const { members, ...rest } = group;
  const out = { ...new SCIMMY.Schemas.Group(rest, "out", `${base}/Groups`, attrs) };
  if (!withMembers) return out;
  return { ...out, members: members.map((m) => ({ ...m, $ref: `${base}/${m.type}s/${m.value}` })) };
}

/** eq/and filters go through our parser and indexes; anything else is parsed and matched by scimmy (O(n)). */
function selector<T>(
  filter: string | undefined,
  schema: SCIMMY.Types.SchemaDefinition,
  lookup: (clauses: EqClause[]) => T[],
): (all: () => T[]) => T[] {
  if (filter === undefined) return (all) => all();
  if (!filter.trim()) throw scimError(400, "invalidFilter", "The filter is empty");
  const clauses = parseEqFilter(filter, schema);
  if (clauses) return () => lookup(clauses).filter((r) => matchesAll(r, clauses));
  const parsed = parseOtherFilter(filter, schema);
  return (all) => parsed.match(all()) as T[];
}

function indexed<T>(clauses: EqClause[], attr: string, find: (v: string) => T | undefined, all: () => T[]): T[] {
  const c = clauses.find((x) => x.path.toLowerCase() === attr.toLowerCase() && typeof x.value === "string");
  if (!c) return all();
  const hit = find(c.value as string);
  return hit === undefined ? [] : [hit];
}

function listResponse(items: object[], total: number, startIndex: number): object {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    itemsPerPage: items.length,
    startIndex,
    Resources: items,
  };
}

export function listUsers(store: ScimStore, query: Query, base: string, limits: PageLimits): object {
  const { startIndex, count } = paging(query, limits);
  const attrs = projection(query);
  const all = () => store.allUsers();
  const select = selector(param(query, "filter"), SCIMMY.Schemas.User.definition, (clauses) => {
    const byId = clauses.find((c) => c.path.toLowerCase() === "id" && typeof c.value === "string");
    if (byId) return [store.getUser(byId.value as string)].filter((u) => u !== undefined);
    return indexed(clauses, "userName", (v) => store.findUserByName(v), all);
  });
  const matched = select(all);
  const page = matched.slice(startIndex - 1, startIndex - 1 + count).map((u) => presentUser(u, base, attrs));
  return listResponse(page, matched.length, startIndex);
}

export function listGroups(store: ScimStore, query: Query, base: string, limits: PageLimits): object {
  const { startIndex, count } = paging(query, limits);
  const attrs = projection(query);
  const filter = param(query, "filter");
  // Copying members is the expensive part: only when the filter looks at them.
  const filterOnMembers = /members/i.test(filter ?? "");
  const get = (id: string) => store.getGroup(id, filterOnMembers) as ScimGroup;
  const all = () => store.allGroupIds().map(get);
  const select = selector(filter, SCIMMY.Schemas.Group.definition, (clauses) => {
    const byId = clauses.find((c) => c.path.toLowerCase() === "id" && typeof c.value === "string");
    if (byId) return store.hasGroup(byId.value as string) ? [get(byId.value as string)] : [];
    return indexed(
      clauses,
      "displayName",
      (v) => {
        const id = store.findGroupIdByName(v);
        return id === undefined ? undefined : get(id);
      },
      all,
    );
  });
  const matched = select(all);
  const withMembers = wantsMembers(query);
  const page = matched.slice(startIndex - 1, startIndex - 1 + count).map((g) => {
    const full = withMembers && !filterOnMembers ? (store.getGroup(g.id) as ScimGroup) : g;
    return presentGroup(full, base, attrs, withMembers);
  });
  return listResponse(page, matched.length, startIndex);
}
