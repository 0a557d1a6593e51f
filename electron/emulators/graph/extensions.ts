// POST /v1.0/directoryObjects/getAvailableExtensionProperties: the directory extensions registered in the tenant.
// The emulator registers an extension for every extension_<appId>_<name> property its users and groups carry.

import { createHash } from "node:crypto";
import { badRequest } from "./errors";
import { DIRECTORY_EXTENSION } from "./query";
import { ok, type Route } from "./router";
import type { DirectoryStore } from "./store";

/** Graph documents Directory.Read.All as the least privileged permission; User.Read.All or Group.Read.All are not enough. */
export const EXTENSION_PERMISSIONS = ["Directory.Read.All", "Directory.ReadWrite.All"];

const dataType = (value: unknown) =>
  typeof value === "boolean" ? "Boolean" : typeof value === "number" ? "Integer" : "String";

interface Definition {
  name: string;
  dataType: string;
  targetObjects: Set<string>;
}

function definitions(store: DirectoryStore): Definition[] {
  const found = new Map<string, Definition>();
  const scan = (record: object, target: string) => {
    for (const [name, value] of Object.entries(record)) {
      if (!DIRECTORY_EXTENSION.test(name)) continue;
      const def = found.get(name) ?? { name, dataType: "String", targetObjects: new Set<string>() };
      if (value !== null && value !== undefined) def.dataType = dataType(value);
      def.targetObjects.add(target);
      found.set(name, def);
    }
  };
  for (const user of store.activeUsers()) scan(user, "User");
  for (const group of store.activeGroups()) scan(group.rec, "Group");
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function extensionRoutes(store: DirectoryStore): Route[] {
  return [
    {
      method: "POST",
      pattern: /^\/v1\.0\/directoryObjects\/getAvailableExtensionProperties\/?$/,
      permissions: EXTENSION_PERMISSIONS,
      handler: (ctx) => {
        let parameters: { isSyncedFromOnPremises?: unknown } = {};
        try {
          parameters = ctx.body.trim() ? (JSON.parse(ctx.body) as typeof parameters) : {};
        } catch {
          throw badRequest("Invalid request body: the body must be JSON.");
        }
        // Every extension here is cloud-only: asking for synced ones only gives none.
        const value =
          parameters.isSyncedFromOnPremises === true
            ? []
            : definitions(store).map((d) => ({
                id: createHash("sha1")
                  .update(d.name)
                  .digest("hex")
                  .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, "$1-$2-$3-$4-$5"),
                deletedDateTime: null,
                appDisplayName: "Tenant Schema Extension App",
                dataType: d.dataType,
                isMultiValued: false,
                isSyncedFromOnPremises: false,
                name: d.name,
                targetObjects: [...d.targetObjects].sort(),
              }));
        return ok({
          "@odata.context": `${ctx.baseUrl}/v1.0/$metadata#Collection(microsoft.graph.extensionProperty)`,
          value,
        });
      },
    },
  ];
}
