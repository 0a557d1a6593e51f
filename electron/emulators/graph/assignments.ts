// /v1.0/servicePrincipals: find the enterprise app by appId, list who is assigned to it
// (appRoleAssignedTo), which is what decides provisioning scope.

import { notFound } from "./errors";
import type { Pager } from "./paging";
import { parseFilter, parseSelect, parseTop, project, type FilterSpec } from "./query";
import { ok, type Route } from "./router";
import type { DirectoryStore } from "./store";
import type { AppRoleAssignmentRecord } from "./types";
import { contextUrl } from "./users";

export const APP_PERMISSIONS = [
  "Application.Read.All",
  "Application.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
];

const SP_PROPERTIES = [
  "id",
  "appId",
  "displayName",
  "appRoles",
  "servicePrincipalType",
  "accountEnabled",
  "appRoleAssignmentRequired",
  "tags",
];
const SP_FILTER: FilterSpec = {
  typeName: "servicePrincipal",
  known: SP_PROPERTIES,
  eq: ["id", "appId", "displayName"],
  startsWith: ["displayName"],
};

function servicePrincipal(store: DirectoryStore) {
  const app = store.app;
  return {
    id: app.servicePrincipalId,
    appId: app.appId,
    displayName: app.displayName,
    appRoles: app.appRoles,
    servicePrincipalType: "Application",
    accountEnabled: true,
    appRoleAssignmentRequired: true,
    tags: ["WindowsAzureActiveDirectoryIntegratedApp", "WindowsAzureActiveDirectoryCustomSingleSignOnApplication"],
  };
}

function renderAssignment(store: DirectoryStore, a: AppRoleAssignmentRecord): Record<string, unknown> | undefined {
  const principal = a.principalType === "User" ? store.findUser(a.principalId) : store.findGroup(a.principalId)?.rec;
  if (!principal) return undefined;
  return {
    id: a.id,
    deletedDateTime: null,
    appRoleId: a.appRoleId,
    createdDateTime: a.createdDateTime,
    principalDisplayName: principal.displayName,
    principalId: a.principalId,
    principalType: a.principalType,
    resourceDisplayName: store.app.displayName,
    resourceId: store.app.servicePrincipalId,
  };
}

export function assignmentRoutes(store: DirectoryStore, pager: Pager, defaultTop: () => number): Route[] {
  const requireSp = (key: string) => {
    const sp = servicePrincipal(store);
    // Both /servicePrincipals/{id} and the alternate key /servicePrincipals(appId='{appId}').
    const alt = /^\(appId='([^']+)'\)$/i.exec(key)?.[1];
    if ((alt ?? key).toLowerCase() !== (alt ? sp.appId : sp.id).toLowerCase()) throw notFound(alt ?? key);
    return sp;
  };
  return [
    {
      method: "GET",
      pattern: /^\/v1\.0\/servicePrincipals\/?$/i,
      permissions: APP_PERMISSIONS,
      handler: (ctx) =>
        pager.respond(ctx, () => {
          const rawSelect = ctx.query("select");
          const select = parseSelect(rawSelect, SP_PROPERTIES, "servicePrincipal");
          const filterRaw = ctx.query("filter");
          const predicate = filterRaw ? parseFilter(filterRaw, SP_FILTER) : () => true;
          return {
            items: [servicePrincipal(store)].filter((sp) => predicate(sp)),
            top: parseTop(ctx.query("top"), defaultTop()),
            context: contextUrl(ctx.baseUrl, "servicePrincipals", select),
            render: (sp: ReturnType<typeof servicePrincipal>) => project(sp, select ?? SP_PROPERTIES),
          };
        }),
    },
    {
      method: "GET",
      pattern: /^\/v1\.0\/servicePrincipals(?:\/([^/(]+)|(\(appId=[^)]+\)))\/appRoleAssignedTo\/?$/i,
      permissions: APP_PERMISSIONS,
      handler: (ctx) =>
        pager.respond(ctx, () => {
          requireSp(ctx.params[0] || ctx.params[1] || "");
          return {
            items: [...store.assignments.values()],
            top: parseTop(ctx.query("top"), defaultTop()),
            context: `${ctx.baseUrl}/v1.0/$metadata#servicePrincipals('${store.app.servicePrincipalId}')/appRoleAssignedTo`,
            render: (a: AppRoleAssignmentRecord) => renderAssignment(store, a),
          };
        }),
    },
    {
      method: "GET",
      pattern: /^\/v1\.0\/servicePrincipals(?:\/([^/(]+)|(\(appId=[^)]+\)))\/?$/i,
      permissions: APP_PERMISSIONS,
      handler: (ctx) => {
        const sp = requireSp(ctx.params[0] || ctx.params[1] || "");
        const select = parseSelect(ctx.query("select"), SP_PROPERTIES, "servicePrincipal");
        return ok({
          "@odata.context": contextUrl(ctx.baseUrl, "servicePrincipals", select, true),
          ...project(sp, select ?? SP_PROPERTIES),
        });
      },
    },
  ];
}
