import type { z } from "zod";
import type { ObjectTypeSchema } from "../../../shared/ipc/model";

export type ObjectType = z.infer<typeof ObjectTypeSchema>;
export type DeltaKind = "users" | "groups";
/** How Graph delta reported an object gone: "changed" = soft-deleted (restorable), "deleted" = purged. */
export type RemovedState = "changed" | "deleted";

export interface MemberRef {
  id: string;
  type: ObjectType;
}

/** An Entra object as last read from Graph (Graph property names). */
export interface SourceObject {
  type: ObjectType;
  id: string;
  attributes: Record<string, unknown>;
  /** Groups: direct members. */
  members?: MemberRef[];
  removed: RemovedState | null;
}

export interface Link {
  type: ObjectType;
  sourceId: string;
  targetId: string;
  /** The matching attribute that found it, "created", or "intent" (resolved after a crash). */
  matchedBy: string;
  created: string;
}

/** Target values by SCIM path. */
export type TargetValues = Record<string, unknown>;
