import type { SourceObject } from "../db/types";
import { sourceAttributes } from "../rules/source-attributes";

/** Graph properties whose Entra attribute is derived rather than copied. */
const DERIVED: Record<string, (attributes: Record<string, unknown>, name: string) => unknown> = {
  // Entra's telephoneNumber is the first of Graph's businessPhones.
  businessPhones: (a) => (Array.isArray(a.businessPhones) ? (a.businessPhones[0] ?? null) : null),
  onPremisesExtensionAttributes: (a, name) =>
    (a.onPremisesExtensionAttributes as Record<string, unknown> | null | undefined)?.[name] ?? null,
};

/** Entra attributes whose Graph property has another name, per object type (computed once: a cycle views every object). */
const renamed = (type: "users" | "groups") =>
  sourceAttributes(type).flatMap((a) => (a.graph && a.graph !== a.name ? [{ name: a.name, graph: a.graph }] : []));
const RENAMED = { user: renamed("users"), group: renamed("groups") };

/**
 * An object as Entra's mappings and scoping filters see it: Entra attribute names (objectId, telephoneNumber,
 * physicalDeliveryOfficeName, ...) over the Graph properties read, plus the computed IsSoftDeleted.
 */
export function entraView(object: SourceObject, isSoftDeleted: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = { ...object.attributes };
  for (const attr of RENAMED[object.type]) {
    // Only what Graph returned: the rules' $select decides which properties are there.
    if (!(attr.graph in object.attributes)) continue;
    const derive = DERIVED[attr.graph];
    view[attr.name] = derive ? derive(object.attributes, attr.name) : (object.attributes[attr.graph] ?? null);
  }
  view.objectId = object.id;
  if (object.type === "user") view.IsSoftDeleted = isSoftDeleted;
  else view.members = (object.members ?? []).map((m) => m.id);
  return view;
}
