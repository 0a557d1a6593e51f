import { z } from "zod";
import { LogEntrySchema, LogStatusSchema } from "./model";

/** Entra's five steps of provision on demand, each with its outcome (for a user, a group, or a group's member). */
export const ProvisionStepSchema = z.object({
  name: z.enum([
    "Test connection",
    "Import user",
    "Import group",
    "Determine scope",
    "Match user",
    "Match group",
    "Perform action",
  ]),
  status: LogStatusSchema,
  detail: z.string(),
  /** Determine scope: each rule checked, in order; the last one decided. */
  rules: z.array(z.object({ step: z.string(), outcome: z.string(), message: z.string() })).optional(),
  /** Perform action: the requests sent (ProvisionDesk's id and the ids Graph or the target returned). */
  requestIds: z.array(z.string()).optional(),
});
export type ProvisionStep = z.infer<typeof ProvisionStepSchema>;

const PlannedActionSchema = z.object({
  objectType: z.enum(["user", "group"]),
  sourceId: z.string(),
  displayName: z.string(),
  action: z.enum(["Create", "Update", "Disable", "Delete", "StagedDelete"]),
  targetId: z.string().nullable(),
  changes: z.array(z.object({ attribute: z.string(), old: z.unknown(), new: z.unknown() })),
  reason: z.string(),
});

/**
 * Why a run stopped, by kind: "auth" (a credential was refused), "notFound" (no such user or group, or a name that
 * several groups carry), anything else as the engine names it; null when no step failed for an error.
 */
const FailureKindSchema = z.string().nullable();

export const ProvisionOneResultSchema = z.object({
  steps: z.array(ProvisionStepSchema),
  /** What was done (null when nothing was needed or a step failed). */
  action: PlannedActionSchema.nullable(),
  entry: LogEntrySchema.nullable(),
  /** Target groups the user was added to (groups provisioned to the target the user belongs to in Entra). */
  groups: z.array(z.object({ sourceId: z.string(), displayName: z.string(), status: LogStatusSchema })),
  cycleId: z.number().int(),
  failureKind: FailureKindSchema,
});
export type ProvisionOneResultView = z.infer<typeof ProvisionOneResultSchema>;

/** Entra provisions at most this many of a group's members on demand. */
export const GROUP_ON_DEMAND_MEMBERS = 5;

/** At most this many of a group's user members are listed to pick from (by display name). */
export const GROUP_MEMBERS_LISTED = 100;

/** A group's direct user members to pick from for provision on demand. */
export const GroupMembersSchema = z.object({
  members: z.array(
    z.object({ id: z.string(), userPrincipalName: z.string().nullable(), displayName: z.string().nullable() }),
  ),
  /** User members in all (more than listed when the group is large). */
  userMembers: z.number().int(),
  /** Nested groups and other objects: never provisioned on demand. */
  otherMembers: z.number().int(),
});
export type GroupMembers = z.infer<typeof GroupMembersSchema>;

/** One member provisioned with its group: the user's own steps, then whether it is now in the target group. */
export const ProvisionMemberSchema = z.object({
  sourceId: z.string(),
  displayName: z.string(),
  userPrincipalName: z.string().nullable(),
  /** Import, scope, match and action, as for a user on its own. */
  steps: z.array(ProvisionStepSchema),
  action: PlannedActionSchema.nullable(),
  /** added: added to the target group now; already: the target group held it; notAdded: out of scope or not in the target; failed: the target refused. */
  membership: z.enum(["added", "already", "notAdded", "failed"]),
  membershipDetail: z.string(),
});
export type ProvisionMember = z.infer<typeof ProvisionMemberSchema>;

export const ProvisionGroupResultSchema = z.object({
  /** The group's own five steps; its Perform action also sums up the members. */
  steps: z.array(ProvisionStepSchema),
  action: PlannedActionSchema.nullable(),
  entry: LogEntrySchema.nullable(),
  group: z.object({ sourceId: z.string(), displayName: z.string() }).nullable(),
  /** How the members were chosen: how many the group has, and which were taken and why. null before the import. */
  choice: z
    .object({
      userMembers: z.number().int(),
      /** Nested groups and other objects (devices, contacts): not provisioned on demand, as in Entra. */
      otherMembers: z.number().int(),
      limit: z.number().int(),
      reason: z.string(),
    })
    .nullable(),
  members: z.array(ProvisionMemberSchema),
  cycleId: z.number().int(),
  failureKind: FailureKindSchema,
});
export type ProvisionGroupResultView = z.infer<typeof ProvisionGroupResultSchema>;
