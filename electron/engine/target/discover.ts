/**
 * What a generic SCIM app accepts, read from /ResourceTypes and /Schemas (RFC 7643 §6, §7), as target paths the
 * mapping editor offers. SCIM has no "filterable" flag: attributes unique on the server, plus the identifiers
 * Entra matches on (userName, displayName, externalId), are offered as matching attributes.
 */
import type { HttpResponse } from "../http";
import { ScimError, fromResponse, type Preset, type ResourceType } from "./errors";
import { CORE_GROUP, CORE_USER, SPLASHTOP_USER } from "./urns";

export interface DiscoveredSchema {
  filterableAttributes?: string[];
  requiredAttributes: string[];
  attributes: string[];
}

interface SchemaAttribute {
  name: string;
  type?: string;
  multiValued?: boolean;
  required?: boolean;
  mutability?: string;
  uniqueness?: string;
  canonicalValues?: string[];
  subAttributes?: SchemaAttribute[];
}

interface SchemaResource {
  id: string;
  attributes?: SchemaAttribute[];
}

/** Splashtop publishes no /Schemas: its documented attributes (SPLT). */
const SPLASHTOP: Record<ResourceType, DiscoveredSchema> = {
  Users: {
    filterableAttributes: ["userName"],
    requiredAttributes: ["userName", `${SPLASHTOP_USER}:ssoName`],
    attributes: [
      "userName",
      "active",
      "displayName",
      "name.givenName",
      "name.familyName",
      "externalId",
      `${SPLASHTOP_USER}:ssoName`,
    ],
  },
  Groups: {
    filterableAttributes: ["displayName"],
    requiredAttributes: ["displayName"],
    attributes: ["displayName", "externalId"],
  },
};

const MATCHABLE = new Set(["username", "displayname", "externalid"]);
/** Managed through membership operations, not mapped as attributes. */
const NOT_MAPPED = new Set(["id", "members", "groups", "meta", "schemas"]);

const writable = (a: SchemaAttribute) => a.mutability !== "readOnly";

function asList(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  const resources = (body as { Resources?: unknown } | undefined)?.Resources;
  return Array.isArray(resources) ? resources : [];
}

function pathsOf(attr: SchemaAttribute, prefix: string): string[] {
  const subs = (attr.subAttributes ?? []).filter((s) => writable(s) && s.name !== "type" && s.name !== "primary");
  if (attr.type !== "complex") return [`${prefix}${attr.name}`];
  if (!attr.multiValued) return subs.map((s) => `${prefix}${attr.name}.${s.name}`);
  const types = attr.subAttributes?.find((s) => s.name === "type")?.canonicalValues ?? ["work"];
  return types.flatMap((t) => subs.map((s) => `${prefix}${attr.name}[type eq ${JSON.stringify(t)}].${s.name}`));
}

export async function discoverSchema(
  type: ResourceType,
  preset: Preset,
  get: (path: string) => Promise<HttpResponse>,
): Promise<DiscoveredSchema> {
  const ctx = { preset, type, action: "read the schema of" };
  const schemasRes = await get("/Schemas");
  if (schemasRes.status === 404 || schemasRes.status === 501) {
    if (preset === "splashtop") return SPLASHTOP[type];
    throw new ScimError({
      kind: "invalid",
      code: "SchemaNotPublished",
      status: schemasRes.status,
      message:
        "The SCIM app does not publish its schema (/Schemas). Enter the target attribute paths by hand in the mappings.",
    });
  }
  if (schemasRes.status !== 200) throw fromResponse(schemasRes, ctx);

  const core = type === "Users" ? CORE_USER : CORE_GROUP;
  const typesRes = await get("/ResourceTypes");
  const resourceType =
    typesRes.status === 200
      ? (
          asList(typesRes.body) as { endpoint?: string; schema?: string; schemaExtensions?: { schema: string }[] }[]
        ).find((r) => r.endpoint === `/${type}`)
      : undefined;
  // Without /ResourceTypes, extensions are recognised by the URN suffix convention (…:2.0:User).
  const suffix = type === "Users" ? ":User" : ":Group";
  const wanted = resourceType
    ? [resourceType.schema ?? core, ...(resourceType.schemaExtensions ?? []).map((e) => e.schema)]
    : undefined;
  const schemas = (asList(schemasRes.body) as SchemaResource[]).filter(
    (s) =>
      typeof s?.id === "string" &&
      (wanted ? wanted.includes(s.id) : s.id === core || (s.id.endsWith(suffix) && s.id.includes(":extension:"))),
  );

  const attributes: string[] = [];
  const requiredAttributes: string[] = [];
  const filterableAttributes: string[] = [];
  for (const schema of schemas) {
    const prefix = schema.id === core ? "" : `${schema.id}:`;
    for (const attr of schema.attributes ?? []) {
      if (!writable(attr) || NOT_MAPPED.has(attr.name.toLowerCase())) continue;
      const paths = pathsOf(attr, prefix);
      attributes.push(...paths);
      if (attr.required) requiredAttributes.push(...(attr.type === "complex" ? paths.slice(0, 1) : paths));
      const unique = attr.uniqueness === "server" || attr.uniqueness === "global";
      if (
        attr.type !== "complex" &&
        !attr.multiValued &&
        (unique || (!prefix && MATCHABLE.has(attr.name.toLowerCase())))
      )
        filterableAttributes.push(...paths);
    }
  }
  // externalId is a common attribute (RFC 7643 §3.1) that schemas usually leave out.
  if (!attributes.some((a) => a.toLowerCase() === "externalid")) {
    attributes.push("externalId");
    filterableAttributes.push("externalId");
  }
  return { filterableAttributes, requiredAttributes, attributes };
}
