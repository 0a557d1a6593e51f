// /v1.0/groups: list, get, /members and /transitiveMembers (directoryObjects with @odata.type).

import { badRequest, notFound } from "./errors";
import type { Pager } from "./paging";
import { parseFilter, parseOrderBy, parseSelect, parseTop, project, type FilterSpec } from "./query";
import { ok, type Route } from "./router";
import type { DirectoryStore, StoredGroup } from "./store";
import { DEFAULT_USER_SELECT, USER_PROPERTIES, contextUrl } from "./users";

export const GROUP_PERMISSIONS = [
  "Group.Read.All",
  "GroupMember.Read.All",
  "Group.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
];

export const GROUP_PROPERTIES: readonly string[] = [
  "id",
  "displayName",
  "description",
  "mail",
  "mailEnabled",
  "mailNickname",
  "securityEnabled",
  "groupTypes",
  "visibility",
  "createdDateTime",
];

const GROUP_FILTER: FilterSpec = {
  typeName: "group",
  known: [...GROUP_PROPERTIES, "members"],
  eq: ["id", "displayName", "mail", "mailNickname", "securityEnabled", "mailEnabled"],
  startsWith: ["displayName", "mail", "mailNickname"],
};

const MEMBER_PROPERTIES = [...new Set([...USER_PROPERTIES, ...GROUP_PROPERTIES])];

export function groupSelect(raw: string | undefined, extra: readonly string[] = []): string[] | undefined {
  return parseSelect(raw, [...GROUP_PROPERTIES, ...extra], "group");
}

/** A user or group as a directoryObject: @odata.type first, then the selected properties its type has. */
export function renderDirectoryObject(
  store: DirectoryStore,
  id: string,
  select: readonly string[] | undefined,
): Record<string, unknown> | undefined {
  const user = store.findUser(id);
  if (user) {
    return {
      "@odata.type": "#microsoft.graph.user",
      ...project(
        user,
        (select ?? DEFAULT_USER_SELECT).filter((p) => USER_PROPERTIES.includes(p)),
      ),
    };
  }
  const group = store.findGroup(id);
  if (group) {
    return {
      "@odata.type": "#microsoft.graph.group",
      ...project(
        group.rec,
        (select ?? GROUP_PROPERTIES).filter((p) => GROUP_PROPERTIES.includes(p)),
      ),
    };
  }
  return undefined;
}

/** Members of nested groups too, each once; nested groups themselves are listed as well. */
function transitiveMembers(store: DirectoryStore, groupId: string): string[] {
  const seen = new Set<string>([groupId]);
  const out: string[] = [];
  const queue = [groupId];
  for (let g = queue.shift(); g !== undefined; g = queue.shift()) {
    for (const m of store.visibleMembers(g)) {
      if (seen.has(m)) continue;
      seen.add(m);
      out.push(m);
      if (store.findGroup(m)) queue.push(m);
    }
  }
  return out;
}

export function groupRoutes(store: DirectoryStore, pager: Pager, defaultTop: () => number): Route[] {
  const requireGroup = (id: string): StoredGroup => {
    const g = store.findGroup(id);
    if (!g) throw notFound(id);
    return g;
  };
  const memberListing = (path: RegExp, entitySet: string, list: (id: string) => string[]): Route => ({
    method: "GET",
    pattern: path,
    permissions: GROUP_PERMISSIONS,
    handler: (ctx) =>
      pager.respond(ctx, () => {
        const id = ctx.params[0] ?? "";
        requireGroup(id);
        const rawSelect = ctx.query("select");
        const select = parseSelect(rawSelect, MEMBER_PROPERTIES, "directoryObject");
        return {
          items: list(id),
          top: parseTop(ctx.query("top"), defaultTop()),
          context: contextUrl(ctx.baseUrl, entitySet, select),
          render: (m: string) => renderDirectoryObject(store, m, select),
        };
      }),
  });
  return [
    {
      method: "GET",
      pattern: /^\/v1\.0\/groups\/?$/,
      permissions: GROUP_PERMISSIONS,
      handler: (ctx) =>
        pager.respond(ctx, () => {
          const rawSelect = ctx.query("select");
          const select = groupSelect(rawSelect);
          const filterRaw = ctx.query("filter");
          const predicate = filterRaw ? parseFilter(filterRaw, GROUP_FILTER) : undefined;
          let items = store.activeGroups().map((g) => g.rec);
          if (predicate) items = items.filter((g) => predicate(g as unknown as Record<string, unknown>));
          const order = parseOrderBy<StoredGroup["rec"]>(ctx.query("orderby"), ["displayName"], "Group");
          if (order) items.sort(order);
          return {
            items,
            top: parseTop(ctx.query("top"), defaultTop()),
            context: contextUrl(ctx.baseUrl, "groups", select),
            render: (g: StoredGroup["rec"]) => project(g, select ?? GROUP_PROPERTIES),
          };
        }),
    },
    memberListing(/^\/v1\.0\/groups\/([^/]+)\/members\/?$/, "directoryObjects", (id) => store.visibleMembers(id)),
    {
      // A user's direct group memberships (Graph lists directory roles there too; this directory has none).
      method: "GET",
      pattern: /^\/v1\.0\/users\/([^/]+)\/memberOf\/?$/,
      permissions: GROUP_PERMISSIONS,
      handler: (ctx) =>
        pager.respond(ctx, () => {
          const key = decodeURIComponent(ctx.params[0] ?? "");
          const user = store.findUser(key);
          if (!user) throw notFound(key);
          const rawSelect = ctx.query("select");
          const select = parseSelect(rawSelect, MEMBER_PROPERTIES, "directoryObject");
          return {
            items: store.groupsOf(user.id),
            top: parseTop(ctx.query("top"), defaultTop()),
            context: contextUrl(ctx.baseUrl, "directoryObjects", select),
            render: (g: string) => renderDirectoryObject(store, g, select),
          };
        }),
    },
    {
      // $count is an advanced query: Graph answers it only with ConsistencyLevel: eventual, as a bare text/plain number.
      method: "GET",
      pattern: /^\/v1\.0\/groups\/([^/]+)\/members\/\$count\/?$/,
      permissions: GROUP_PERMISSIONS,
      handler: (ctx) => {
        if (String(ctx.req.headers.consistencylevel ?? "").toLowerCase() !== "eventual")
          throw badRequest("$count is not currently supported.");
        const id = ctx.params[0] ?? "";
        requireGroup(id);
        return { status: 200, body: undefined, text: String(store.visibleMembers(id).length) };
      },
    },
    memberListing(/^\/v1\.0\/groups\/([^/]+)\/transitiveMembers\/?$/, "directoryObjects", (id) =>
      transitiveMembers(store, id),
    ),
    {
      method: "GET",
      pattern: /^\/v1\.0\/groups\/([^/]+)\/?$/,
      permissions: GROUP_PERMISSIONS,
      handler: (ctx) => {
        const g = requireGroup(ctx.params[0] ?? "");
        const select = groupSelect(ctx.query("select"));
        return ok({
          "@odata.context": contextUrl(ctx.baseUrl, "groups", select, true),
          ...project(g.rec, select ?? GROUP_PROPERTIES),
        });
      },
    },
  ];
}
