import { z } from "zod";
import { LogEntrySchema, LogStatusSchema } from "./model";

/** Entra's five steps of provision on demand, each with its outcome. */
export const ProvisionStepSchema = z.object({
  name: z.enum(["Test connection", "Import user", "Determine scope", "Match user", "Perform action"]),
  status: LogStatusSchema,
  detail: z.string(),
  /** Determine scope: each rule checked, in order; the last one decided. */
  rules: z.array(z.object({ step: z.string(), outcome: z.string(), message: z.string() })).optional(),
  /** Perform action: the requests sent (ProvisionDesk's id and the ids Graph or the target returned). */
  requestIds: z.array(z.string()).optional(),
});
export type ProvisionStep = z.infer<typeof ProvisionStepSchema>;

export const ProvisionOneResultSchema = z.object({
  steps: z.array(ProvisionStepSchema),
  /** What was done (null when nothing was needed or a step failed). */
  action: z
    .object({
      objectType: z.enum(["user", "group"]),
      sourceId: z.string(),
      displayName: z.string(),
      action: z.enum(["Create", "Update", "Disable", "Delete", "StagedDelete"]),
      targetId: z.string().nullable(),
      changes: z.array(z.object({ attribute: z.string(), old: z.unknown(), new: z.unknown() })),
      reason: z.string(),
    })
    .nullable(),
  entry: LogEntrySchema.nullable(),
  /** Target groups the user was added to (groups provisioned to the target the user belongs to in Entra). */
  groups: z.array(z.object({ sourceId: z.string(), displayName: z.string(), status: LogStatusSchema })),
  cycleId: z.number().int(),
  failureKind: z.string().nullable(),
});
export type ProvisionOneResultView = z.infer<typeof ProvisionOneResultSchema>;
