import { z } from "zod";
import { CycleSummarySchema } from "./model";

/** What an item of a plan does. "heldDelete": a disable or delete held back by the deletion threshold. */
export const PlanItemKindSchema = z.enum([
  "create",
  "update",
  "disable",
  "delete",
  "heldDelete",
  "memberAdd",
  "memberRemove",
]);
export type PlanItemKind = z.infer<typeof PlanItemKindSchema>;

/**
 * One reviewable change. Its id is stable across plans of the same change ("user:<id>", "group:<id>",
 * "member:<group id>:<user id>"), so a later plan can be compared with the one the admin approved.
 */
export const PlanItemSchema = z.object({
  id: z.string(),
  kind: PlanItemKindSchema,
  objectType: z.enum(["user", "group"]),
  sourceId: z.string(),
  displayName: z.string(),
  targetId: z.string().nullable(),
  /** Each attribute's before → after (creates: before is null). */
  changes: z.array(z.object({ attribute: z.string(), old: z.unknown(), new: z.unknown() })),
  reason: z.string(),
  /** Membership items: the group the user is added to or removed from. */
  group: z.object({ sourceId: z.string(), displayName: z.string() }).nullable(),
});
export type PlanItem = z.infer<typeof PlanItemSchema>;

export const PlanFailureSchema = z.object({
  objectType: z.enum(["user", "group"]),
  sourceId: z.string(),
  displayName: z.string(),
  errorCode: z.string(),
  message: z.string(),
  recommendation: z.string(),
});

export const PlanViewSchema = z.object({
  id: z.string(),
  cycleId: z.number().int(),
  createdAt: z.string(),
  /** The cycle's outcome: a preview "succeeded"; a cycle stopped at the deletion threshold holds its deletions here. */
  outcome: CycleSummarySchema.shape.outcome,
  /** The Entra delta links the plan was computed from (empty: a full read). */
  sourceState: z.object({ users: z.string(), groups: z.string() }),
  items: z.array(PlanItemSchema),
  /** Objects that could not be planned; they are not items (nothing can be applied for them). */
  failures: z.array(PlanFailureSchema),
  /** Items per kind, of the whole plan (not only those matching a filter). */
  totals: z.record(PlanItemKindSchema, z.number().int()),
});
export type PlanView = z.infer<typeof PlanViewSchema>;

export const PlanFiltersSchema = z
  .object({
    kinds: z.array(PlanItemKindSchema).optional(),
    objectType: z.enum(["user", "group"]).optional(),
    /** Matches display name, ids and group name, ignoring case and accents. */
    search: z.string().max(200).optional(),
  })
  .strict();
export type PlanFilters = z.infer<typeof PlanFiltersSchema>;

/** What changed in Entra since the preview, per approved item. */
export const PlanChangeSchema = z.object({
  itemId: z.string(),
  displayName: z.string(),
  /** "changed": planned differently now; "gone": no longer planned at all. */
  change: z.enum(["changed", "gone"]),
  before: PlanItemSchema,
  now: PlanItemSchema.nullable(),
});
export type PlanChange = z.infer<typeof PlanChangeSchema>;

export const PlanApplyResultSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("applied"), summary: CycleSummarySchema }),
  /** Nothing was applied; `plan` is the plan as it stands now, to review and approve again. */
  z.object({ status: z.literal("changed"), changes: z.array(PlanChangeSchema), plan: PlanViewSchema }),
]);
export type PlanApplyResult = z.infer<typeof PlanApplyResultSchema>;
