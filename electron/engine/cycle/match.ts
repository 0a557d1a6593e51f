import pLimit from "p-limit";
import type { ObjectType, TargetValues } from "../db/types";
import { readTargetPath, ScimError, type ResourceType, type ScimClient } from "../target";
import { throwIfCancelled } from "./cancel";

export type TargetResource = Record<string, unknown> & { id: string };

/** The target's objects of one type, read once per full cycle and indexed by each matching attribute. */
export interface TargetListing {
  byId: Map<string, TargetResource>;
  byPath: Map<string, Map<string, TargetResource[]>>;
}

export type MatchResult =
  | { kind: "none" }
  | { kind: "one"; resource: TargetResource; path: string }
  | { kind: "many"; count: number; path: string; value: string }
  | { kind: "noValue" };

export const resourceType = (type: ObjectType): ResourceType => (type === "user" ? "Users" : "Groups");

/** SCIM matching attributes (userName, displayName) are case-insensitive. */
const key = (value: unknown) => String(value).toLowerCase();

/**
 * Reads every target object of a type (paged GET, members excluded). Returns null when the target cannot list:
 * matching then falls back to one filtered GET per object. Stops between pages once `stop` is aborted.
 */
export async function listTarget(
  scim: ScimClient,
  type: ObjectType,
  matchPaths: string[],
  stop?: AbortSignal,
): Promise<TargetListing | null> {
  const listing: TargetListing = { byId: new Map(), byPath: new Map(matchPaths.map((p) => [p, new Map()])) };
  try {
    for await (const page of scim.listAll(resourceType(type), {
      excludedAttributes: type === "group" ? ["members"] : [],
    })) {
      throwIfCancelled(stop);
      for (const resource of page as TargetResource[]) {
        listing.byId.set(resource.id, resource);
        for (const [path, index] of listing.byPath) {
          const value = readTargetPath(resource, path);
          if (value === undefined || value === null) continue;
          const list = index.get(key(value)) ?? [];
          list.push(resource);
          index.set(key(value), list);
        }
      }
    }
  } catch (error) {
    // A target that refuses to list (or lists badly) can still be matched one filtered GET at a time;
    // bad credentials, outages and throttling are not about listing and end the cycle.
    if (
      error instanceof ScimError &&
      (error.kind === "invalid" || error.kind === "notFound" || error.kind === "forbidden")
    )
      return null;
    throw error;
  }
  return listing;
}

/** Values of a resource at the given paths, to compare with what the mappings produce. */
export function targetValues(resource: TargetResource, paths: Iterable<string>): TargetValues {
  const values: TargetValues = {};
  for (const path of paths) values[path] = readTargetPath(resource, path);
  return values;
}

/**
 * Entra's matching: each matching attribute in precedence order; the first that finds something decides.
 * 0 → create, 1 → link and update, more → DuplicateTargetEntries.
 */
export async function matchInTarget(
  scim: ScimClient,
  listing: TargetListing | null,
  type: ObjectType,
  matchPaths: string[],
  values: TargetValues,
): Promise<MatchResult> {
  let sawValue = false;
  for (const path of matchPaths) {
    const value = values[path];
    if (value === null || value === undefined || value === "") continue;
    sawValue = true;
    const found = listing
      ? (listing.byPath.get(path)?.get(key(value)) ?? [])
      : ((await scim.find(resourceType(type), path, String(value))) as TargetResource[]);
    if (found.length === 1) return { kind: "one", resource: found[0]!, path };
    if (found.length > 1) return { kind: "many", count: found.length, path, value: String(value) };
  }
  return sawValue ? { kind: "none" } : { kind: "noValue" };
}

/**
 * Adoption: the members each group matched (not created) this cycle holds in the target, so that only the difference
 * is sent. One `attributes=members` read per matched group; members the target holds that we do not link to an Entra
 * user are not ours and are left out. A group whose read fails is adopted without its members (its adds are sent).
 */
export async function readMatchedMembers(
  scim: ScimClient,
  matched: { sourceId: string; targetId: string }[],
  userSourceByTarget: Map<string, string>,
  concurrency: number,
): Promise<Map<string, Map<string, string>>> {
  const limit = pLimit(concurrency);
  const adopted = new Map<string, Map<string, string>>();
  await Promise.all(
    matched.map((g) =>
      limit(async () => {
        let group: Record<string, unknown> | null;
        try {
          group = await scim.get("Groups", g.targetId, { attributes: ["members"] });
        } catch (error) {
          if (error instanceof ScimError && (error.kind === "unauthorized" || error.kind === "forbidden")) throw error;
          return;
        }
        const members = new Map<string, string>();
        for (const m of Array.isArray(group?.members) ? (group.members as unknown[]) : []) {
          const targetId = m && typeof m === "object" ? (m as { value?: unknown }).value : undefined;
          const sourceId = typeof targetId === "string" ? userSourceByTarget.get(targetId) : undefined;
          if (sourceId) members.set(sourceId, targetId as string);
        }
        if (group) adopted.set(g.sourceId, members);
      }),
    ),
  );
  return adopted;
}
