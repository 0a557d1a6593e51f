// Default mappings: Entra's gallery defaults for Splashtop and for a generic SCIM 2.0 app, and
// the attributes each target supports (Splashtop support article 360046495491).
import type { AttributeMapping, ObjectType, Rules } from "../../../shared/config/mappings";

export type RulesPreset = "splashtop" | "generic";

export const SSO_NAME_TARGET = "urn:ietf:params:scim:schemas:extension:Splashtop:2.0:User:ssoName";
/** Entra's gallery app ships this placeholder; provisioning fails until the admin replaces it. */
export const SSO_NAME_PLACEHOLDER = "your_sso_method_name";
export const SOFT_DELETE_TO_ACTIVE = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';

export interface TargetAttributes {
  /** Attributes the target can filter on: only these can be matching attributes. */
  filterableAttributes: string[];
  /** Attributes every object must be sent with. */
  requiredAttributes: string[];
  /** Everything the target accepts; others are silently dropped by it. */
  knownAttributes?: string[];
}

export const SPLASHTOP_TARGET: Record<ObjectType, TargetAttributes> = {
  users: {
    filterableAttributes: ["userName"],
    requiredAttributes: ["userName", SSO_NAME_TARGET],
    knownAttributes: [
      "userName",
      "active",
      "displayName",
      "name.givenName",
      "name.familyName",
      "externalId",
      SSO_NAME_TARGET,
    ],
  },
  groups: {
    filterableAttributes: ["displayName"],
    requiredAttributes: ["displayName"],
    knownAttributes: ["displayName", "externalId", "members"],
  },
};

export const GENERIC_TARGET: Record<ObjectType, TargetAttributes> = {
  users: { filterableAttributes: ["userName", "externalId"], requiredAttributes: ["userName"] },
  groups: { filterableAttributes: ["displayName", "externalId"], requiredAttributes: ["displayName"] },
};

export function targetAttributesFor(preset: RulesPreset): Record<ObjectType, TargetAttributes> {
  return preset === "splashtop" ? SPLASHTOP_TARGET : GENERIC_TARGET;
}

const direct = (source: string, target: string, extra: Partial<AttributeMapping> = {}): AttributeMapping => ({
  type: "Direct",
  source,
  target,
  apply: "Always",
  ...extra,
});

export function defaultRules(preset: RulesPreset, ssoMethodName?: string): Rules {
  const users: AttributeMapping[] = [
    direct("userPrincipalName", "userName", { matching: { precedence: 1 } }),
    { type: "Expression", expression: SOFT_DELETE_TO_ACTIVE, target: "active", apply: "Always" },
    direct("displayName", "displayName"),
    direct("givenName", "name.givenName"),
    direct("surname", "name.familyName"),
    direct("mailNickname", "externalId"),
  ];
  if (preset === "splashtop") {
    users.push({
      type: "Constant",
      value: ssoMethodName?.length ? ssoMethodName : SSO_NAME_PLACEHOLDER,
      target: SSO_NAME_TARGET,
      apply: "Always",
    });
  } else {
    users.push(direct("mail", 'emails[type eq "work"].value'));
  }
  return {
    users: { mappings: users, scopingFilters: [] },
    groups: {
      mappings: [
        direct("displayName", "displayName", { matching: { precedence: 1 } }),
        direct("objectId", "externalId"),
        direct("members", "members"),
      ],
      scopingFilters: [],
    },
  };
}
