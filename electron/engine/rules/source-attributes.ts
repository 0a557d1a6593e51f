// The Entra attribute names admins use in mappings and scoping filters, and the Microsoft Graph
// property each one reads, so the engine asks Graph ($select) for exactly what the rules need.
import type { ObjectRules, ObjectType, Rules } from "../../../shared/config/mappings";
import { walk } from "./expression/ast";
import { parseExpression } from "./expression/parser";

export interface SourceAttribute {
  /** Name as written in Entra mappings, e.g. objectId. */
  name: string;
  /** Graph property it reads; absent for attributes ProvisionDesk computes. */
  graph?: string;
  type: "String" | "Boolean" | "DateTime" | "Reference" | "Integer" | "Complex";
  multiValued?: boolean;
  /** How a computed attribute is derived. */
  computed?: string;
}

const s = (name: string, graph = name, extra: Partial<SourceAttribute> = {}): SourceAttribute => ({
  name,
  graph,
  type: "String",
  ...extra,
});

export const USER_ATTRIBUTES: readonly SourceAttribute[] = [
  s("objectId", "id"),
  s("userPrincipalName"),
  s("displayName"),
  s("givenName"),
  s("surname"),
  s("mail"),
  s("mailNickname"),
  s("accountEnabled", "accountEnabled", { type: "Boolean" }),
  s("department"),
  s("jobTitle"),
  s("employeeId"),
  s("employeeType"),
  s("employeeHireDate", "employeeHireDate", { type: "DateTime" }),
  s("userType"),
  s("companyName"),
  s("country"),
  s("city"),
  s("state"),
  s("streetAddress"),
  s("postalCode"),
  s("physicalDeliveryOfficeName", "officeLocation"),
  // Graph's businessPhones is a list; Entra exposes its first entry as telephoneNumber.
  s("telephoneNumber", "businessPhones"),
  s("mobile", "mobilePhone"),
  s("facsimileTelephoneNumber", "faxNumber"),
  s("preferredLanguage"),
  s("usageLocation"),
  s("passwordPolicies"),
  s("ageGroup"),
  s("createdDateTime", "createdDateTime", { type: "DateTime" }),
  s("proxyAddresses", "proxyAddresses", { multiValued: true }),
  s("otherMails", "otherMails", { multiValued: true }),
  s("manager", "manager", { type: "Reference" }),
  s("onPremisesSamAccountName"),
  s("onPremisesDistinguishedName"),
  s("onPremisesDomainName"),
  s("onPremisesImmutableId"),
  s("onPremisesSecurityIdentifier"),
  s("onPremisesUserPrincipalName"),
  ...Array.from({ length: 15 }, (_, i) => s(`extensionAttribute${i + 1}`, "onPremisesExtensionAttributes")),
  {
    name: "IsSoftDeleted",
    type: "Boolean",
    computed:
      "true when the user is soft-deleted, disabled (accountEnabled false) or out of the app's assignment scope",
  },
  {
    name: "appRoleAssignments",
    type: "Complex",
    multiValued: true,
    computed: "the user's app role assignments on this enterprise app, with role names",
  },
];

export const GROUP_ATTRIBUTES: readonly SourceAttribute[] = [
  s("objectId", "id"),
  s("displayName"),
  s("mailNickname"),
  s("description"),
  s("mail"),
  s("mailEnabled", "mailEnabled", { type: "Boolean" }),
  s("securityEnabled", "securityEnabled", { type: "Boolean" }),
  s("members", "members", { type: "Reference", multiValued: true }),
];

/** Directory extensions (extension_<appId>_<name>) are read under their own name. */
const DIRECTORY_EXTENSION = /^extension_[0-9a-f]{32}_\w+$/i;

export function sourceAttributes(objectType: ObjectType): readonly SourceAttribute[] {
  return objectType === "users" ? USER_ATTRIBUTES : GROUP_ATTRIBUTES;
}

export function findSourceAttribute(objectType: ObjectType, name: string): SourceAttribute | undefined {
  const known = sourceAttributes(objectType).find((a) => a.name === name);
  if (known) return known;
  return DIRECTORY_EXTENSION.test(name) ? { name, graph: name, type: "String" } : undefined;
}

export function isKnownSourceAttribute(objectType: ObjectType, name: string): boolean {
  return findSourceAttribute(objectType, name) !== undefined;
}

/** Every source attribute the mappings and scoping filters refer to. */
export function referencedAttributes(rules: ObjectRules): Set<string> {
  const names = new Set<string>();
  for (const m of rules.mappings) {
    if (m.type === "Direct" && m.source) names.add(m.source);
    if (m.type === "Expression" && m.expression) {
      const parsed = parseExpression(m.expression);
      if (parsed.ok) walk(parsed.ast, (node) => node.type === "Attribute" && names.add(node.name));
    }
  }
  for (const f of rules.scopingFilters) for (const c of f.clauses) names.add(c.attribute);
  return names;
}

/**
 * Graph properties to $select for one object type: `id` always, the properties behind every
 * referenced attribute, accountEnabled for IsSoftDeleted. appRoleAssignments comes from the
 * service principal's assignments, not from $select; manager and members are navigation
 * properties that Graph returns in delta queries when selected.
 */
export function graphSelectFor(objectType: ObjectType, rules: Rules | ObjectRules): string[] {
  const objectRules = "mappings" in rules ? rules : rules[objectType];
  const select = new Set(["id"]);
  for (const name of referencedAttributes(objectRules)) {
    const attr = findSourceAttribute(objectType, name);
    if (attr?.graph) select.add(attr.graph);
    if (name === "IsSoftDeleted") select.add("accountEnabled");
  }
  return [...select];
}
