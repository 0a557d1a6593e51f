import SCIMMY from "scimmy";
import { scimError } from "./errors";
import type { ScimStore, UserAttributes } from "./store";
import { SPLASHTOP_USER_SCHEMA } from "./types";

/** What scimmy hands our handlers as `ctx` (scimmy's declarations are process-wide; the store is per server). */
export interface ScimContext {
  store: ScimStore;
}

/** Core User attributes Splashtop supports, plus emails for generic SCIM clients. Everything else is removed from the schema. */
const UNSUPPORTED_USER_ATTRIBUTES = [
  "nickName",
  "profileUrl",
  "title",
  "userType",
  "preferredLanguage",
  "locale",
  "timezone",
  "password",
  "phoneNumbers",
  "ims",
  "photos",
  "addresses",
  "groups",
  "entitlements",
  "roles",
  "x509Certificates",
  "name.formatted",
  "name.middleName",
  "name.honorificPrefix",
  "name.honorificSuffix",
];

const splashtopExtension = new SCIMMY.Types.SchemaDefinition(
  "SplashtopUser",
  SPLASHTOP_USER_SCHEMA,
  "Splashtop user attributes",
  [
    new SCIMMY.Types.Attribute("string", "ssoName", {
      description: "Exact name of the team's Splashtop SSO method (spaces included).",
    }),
  ],
);

/** A scimmy schema instance reduced to the attributes we store (drops schemas, id and meta). */
export function userAttributes(instance: object): UserAttributes {
  const { schemas: _s, id: _i, meta: _m, ...rest } = JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
  return rest as unknown as UserAttributes;
}

let declared = false;

/** Declares User (scimmy handles its single-resource routes) and Group (discovery only; groups are served by groups.ts). */
export function declareScimResources(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Schemas.User.definition.truncate(...UNSUPPORTED_USER_ATTRIBUTES);
  // scimmy accepts a SchemaDefinition here at runtime (documented), its typings only list Schema classes.
  SCIMMY.Resources.User.extend(splashtopExtension as unknown as typeof SCIMMY.Types.Schema, false);
  SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    egress: (resource: SCIMMY.Types.Resource, ctx: ScimContext) => {
      if (resource.id === undefined) {
        const all = ctx.store.allUsers();
        return resource.filter ? resource.filter.match(all) : all;
      }
      const user = ctx.store.getUser(resource.id);
      if (!user) throw scimError(404, null, `User ${resource.id} not found`);
      return user;
    },
    ingress: (resource: SCIMMY.Types.Resource, instance: object, ctx: ScimContext) =>
      resource.id === undefined
        ? ctx.store.createUser(userAttributes(instance))
        : ctx.store.replaceUser(resource.id, userAttributes(instance)),
    degress: (resource: SCIMMY.Types.Resource, ctx: ScimContext) => {
      ctx.store.deleteUser(resource.id ?? "");
    },
  });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group);
}
