// /v1.0/users: list (select, top, filter, paging), get by id or UPN, $expand=manager, /manager.

import { notFound } from "./errors";
import type { Pager } from "./paging";
import {
  DIRECTORY_EXTENSION,
  parseExpand,
  parseFilter,
  parseOrderBy,
  parseSelect,
  parseTop,
  project,
  type Expand,
  type FilterSpec,
} from "./query";
import { ok, type Route } from "./router";
import type { DirectoryStore } from "./store";
import type { UserRecord } from "./types";

export const USER_PERMISSIONS = [
  "User.Read.All",
  "User.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
];

export const USER_PROPERTIES: readonly string[] = [
  "id",
  "userPrincipalName",
  "displayName",
  "givenName",
  "surname",
  "mail",
  "mailNickname",
  "otherMails",
  "proxyAddresses",
  "accountEnabled",
  "userType",
  "externalUserState",
  "department",
  "jobTitle",
  "companyName",
  "employeeId",
  "employeeType",
  "officeLocation",
  "city",
  "country",
  "usageLocation",
  "preferredLanguage",
  "businessPhones",
  "mobilePhone",
  "createdDateTime",
  "streetAddress",
  "postalCode",
  "state",
  "faxNumber",
  "employeeHireDate",
  "passwordPolicies",
  "ageGroup",
  "imAddresses",
  "onPremisesSyncEnabled",
  "onPremisesSamAccountName",
  "onPremisesDistinguishedName",
  "onPremisesDomainName",
  "onPremisesImmutableId",
  "onPremisesSecurityIdentifier",
  "onPremisesUserPrincipalName",
  "onPremisesExtensionAttributes",
];

/** What Graph returns for a user without $select. */
export const DEFAULT_USER_SELECT: readonly string[] = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];

const USER_FILTER: FilterSpec = {
  typeName: "user",
  known: [...USER_PROPERTIES, "manager"],
  eq: [
    "id",
    "userPrincipalName",
    "mail",
    "displayName",
    "accountEnabled",
    "userType",
    "givenName",
    "surname",
    "mailNickname",
    "employeeId",
  ],
  startsWith: ["displayName", "givenName", "surname", "mail", "userPrincipalName", "mailNickname"],
};

/**
 * OData lets $select name a navigation property; with minimal metadata nothing is returned for it (read the
 * manager through $expand=manager or manager@delta), so "manager" is accepted and dropped.
 */
export function userSelect(raw: string | undefined): string[] {
  return (
    parseSelect(raw, [...USER_PROPERTIES, "manager"], "user", DIRECTORY_EXTENSION)?.filter((p) => p !== "manager") ?? [
      ...DEFAULT_USER_SELECT,
    ]
  );
}

export function contextUrl(
  baseUrl: string,
  entitySet: string,
  select: readonly string[] | undefined,
  entity = false,
): string {
  return `${baseUrl}/v1.0/$metadata#${entitySet}${select ? `(${select.join(",")})` : ""}${entity ? "/$entity" : ""}`;
}

export function renderUser(
  store: DirectoryStore,
  rec: UserRecord,
  select: readonly string[],
  expand?: Expand,
): Record<string, unknown> {
  const out = project(rec, select);
  if (expand?.name === "manager" && rec.managerId) {
    const manager = store.findUser(rec.managerId);
    if (manager)
      out.manager = {
        "@odata.type": "#microsoft.graph.user",
        ...project(manager, userSelect(expand.select?.join(","))),
      };
  }
  return out;
}

// /users/{id|upn} or the key form /users('{upn}') that Graph requires for UPNs starting with "$".
const USER_KEY = String.raw`(?:\/([^/]+)|\(([^/]+)\))`;

function userKey(params: string[]): string {
  const [plain, keyed] = params;
  if (plain) return plain;
  const m = /^'(.*)'$/.exec(keyed ?? "");
  return m?.[1] ? m[1].replace(/''/g, "'") : (keyed ?? "");
}

export function userRoutes(store: DirectoryStore, pager: Pager, defaultTop: () => number): Route[] {
  const perms = USER_PERMISSIONS;
  return [
    {
      method: "GET",
      pattern: /^\/v1\.0\/users\/?$/,
      permissions: perms,
      handler: (ctx) =>
        pager.respond(ctx, () => {
          const rawSelect = ctx.query("select");
          const select = userSelect(rawSelect);
          const expand = parseExpand(ctx.query("expand"), ["manager"]);
          const filterRaw = ctx.query("filter");
          const predicate = filterRaw ? parseFilter(filterRaw, USER_FILTER) : undefined;
          let items = store.activeUsers();
          if (predicate) items = items.filter((u) => predicate(u as unknown as Record<string, unknown>));
          const order = parseOrderBy<UserRecord>(ctx.query("orderby"), ["displayName", "userPrincipalName"], "User");
          if (order) items.sort(order);
          return {
            items,
            top: parseTop(ctx.query("top"), defaultTop()),
            context: contextUrl(ctx.baseUrl, "users", rawSelect ? select : undefined),
            render: (u: UserRecord) => renderUser(store, u, select, expand),
          };
        }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^/v1\\.0/users${USER_KEY}/manager/?$`),
      permissions: perms,
      handler: (ctx) => {
        const key = userKey(ctx.params);
        const user = store.findUser(key);
        const manager = user?.managerId ? store.findUser(user.managerId) : undefined;
        if (!user || !manager) throw notFound(user ? "manager" : key);
        const select = userSelect(ctx.query("select"));
        return ok({
          "@odata.context": `${ctx.baseUrl}/v1.0/$metadata#directoryObjects/$entity`,
          "@odata.type": "#microsoft.graph.user",
          ...project(manager, select),
        });
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^/v1\\.0/users${USER_KEY}/?$`),
      permissions: perms,
      handler: (ctx) => {
        const id = userKey(ctx.params);
        const user = store.findUser(id);
        if (!user) throw notFound(id);
        const rawSelect = ctx.query("select");
        const select = userSelect(rawSelect);
        const expand = parseExpand(ctx.query("expand"), ["manager"]);
        return ok({
          "@odata.context": contextUrl(ctx.baseUrl, "users", rawSelect ? select : undefined, true),
          ...renderUser(store, user, select, expand),
        });
      },
    },
  ];
}
