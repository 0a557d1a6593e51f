import { z } from "zod";
import type { ProfileInput } from "../config/profile";
import { ProblemSchema } from "./model";

/**
 * What the configuration screens ask the engine about an UNSAVED profile (the "draft" the window is editing):
 * scope previews, expression values, directory pickers, attribute lists, connection tests before a secret is stored.
 */

/**
 * A profile as the window holds it while editing, the same shape `profile.save` takes: any JSON object is accepted
 * here, and the engine checks it exactly as a save would, answering problems with their paths.
 */
export const DraftProfileSchema = z.custom<ProfileInput>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "the draft profile must be a JSON object",
);
export type DraftProfile = z.infer<typeof DraftProfileSchema>;

/** One thing wrong with a draft, at its path (`rules.users.scopingFilters.0.clauses.1.value`), as a save reports it. */
export const DraftProblemSchema = ProblemSchema;
export type DraftProblem = z.infer<typeof DraftProblemSchema>;

/** The answer when a draft has error-level problems: nothing was evaluated, each problem names its field. */
export const DraftInvalidSchema = z.object({ status: z.literal("invalid"), problems: z.array(DraftProblemSchema) });
export type DraftInvalid = z.infer<typeof DraftInvalidSchema>;

export const DirectoryUserSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string().nullable(),
  displayName: z.string().nullable(),
});
export type DirectoryUser = z.infer<typeof DirectoryUserSchema>;

/** Live "matches N of M users" for a draft: the cycle's own scope decision on a fresh read of the directory. */
export const ScopePreviewSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("ok"),
    /** Users a cycle would provision (in scope and enabled). */
    inScope: z.number().int(),
    /** Users in the directory (not deleted). */
    total: z.number().int(),
    /** In scope but disabled in Entra: kept disabled in the target, never created. */
    disabled: z.number().int(),
    /** Groups a cycle would provision (0 when group provisioning is off). */
    groups: z.number().int(),
    sample: z.array(DirectoryUserSchema),
    /** Warnings about the draft (errors answer "invalid" instead). */
    problems: z.array(DraftProblemSchema),
    /** When the directory was read from Graph (reads are cached for a short while). */
    readAt: z.string(),
  }),
  DraftInvalidSchema,
]);
export type ScopePreview = z.infer<typeof ScopePreviewSchema>;

const PrincipalSchema = z.object({ id: z.string(), displayName: z.string().nullable() });

/** Who is assigned to the enterprise app in Entra (read-only here: assignments are managed in Entra). */
export const AssignmentsSchema = z.object({
  app: z.object({ servicePrincipalId: z.string(), displayName: z.string().nullable() }),
  users: z.array(PrincipalSchema),
  groups: z.array(PrincipalSchema),
});
export type AssignmentsView = z.infer<typeof AssignmentsSchema>;

export const ExpressionEvaluationSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("value"),
    /** The evaluated value; null when the expression gives nothing (nothing would be sent). */
    value: z.json(),
    /** Redact() was applied: logs show "[Redact]". */
    redacted: z.boolean(),
    /** IgnoreFlowIfNullOrEmpty stopped the attribute from flowing. */
    ignoreFlow: z.boolean(),
  }),
  z.object({
    status: z.literal("error"),
    /** "parse", "unknownFunction", "unknownAttribute", … (save-time checks) or an evaluation code such as "NullInCondition". */
    code: z.string(),
    message: z.string(),
    /** 0-based offset in the expression; line and column 1-based; null when the error has no position. */
    offset: z.number().int().nullable(),
    line: z.number().int().nullable(),
    column: z.number().int().nullable(),
    /** What the parser expected at the offset (parse errors only). */
    expected: z.string().nullable(),
  }),
  DraftInvalidSchema,
]);
export type ExpressionEvaluation = z.infer<typeof ExpressionEvaluationSchema>;

export const ExpressionFunctionSchema = z.object({
  name: z.string(),
  /** As the reference writes the call, e.g. `Join(separator, source1, source2, …)`. */
  signature: z.string(),
  help: z.string(),
  minArgs: z.number().int(),
  /** null: any number. */
  maxArgs: z.number().int().nullable(),
});
export type ExpressionFunction = z.infer<typeof ExpressionFunctionSchema>;

export const GroupSearchSchema = z.object({
  groups: z.array(
    z.object({ id: z.string(), displayName: z.string().nullable(), memberCount: z.number().int().nullable() }),
  ),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type GroupSearch = z.infer<typeof GroupSearchSchema>;

/** The groups a profile picks (stored by id or by name), as the directory knows them now. */
export const PickedGroupsSchema = z.array(
  z.object({
    /** The entry as the profile stores it. */
    ref: z.string(),
    /** null: no such group in the directory (deleted, or a name that matches none). */
    id: z.string().nullable(),
    displayName: z.string().nullable(),
    memberCount: z.number().int().nullable(),
  }),
);
export type PickedGroups = z.infer<typeof PickedGroupsSchema>;

export const SourceAttributeInfoSchema = z.object({
  name: z.string(),
  type: z.enum(["String", "Boolean", "DateTime", "Reference", "Integer", "Complex"]),
  multiValued: z.boolean(),
  /** How ProvisionDesk computes it (IsSoftDeleted, appRoleAssignments); null for attributes read from Graph. */
  computed: z.string().nullable(),
  /** A directory extension (extension_<appId>_<name>) found in the tenant. */
  extension: z.boolean(),
});
export type SourceAttributeInfo = z.infer<typeof SourceAttributeInfoSchema>;

export const SourceAttributesSchema = z.object({
  users: z.array(SourceAttributeInfoSchema),
  groups: z.array(SourceAttributeInfoSchema),
  /** Whether directory extensions could be listed, and if not why (e.g. a missing permission). */
  extensions: z.object({ discovered: z.boolean(), message: z.string() }),
});
export type SourceAttributes = z.infer<typeof SourceAttributesSchema>;

const ObjectTargetAttributesSchema = z.object({
  attributes: z.array(z.string()),
  required: z.array(z.string()),
  /** Attributes the target can filter on: the only ones that may be matching attributes. */
  matchable: z.array(z.string()),
});

export const TargetAttributesSchema = z.object({
  /** "preset": the preset's documented schema; "discovered": read from the target's /Schemas. */
  source: z.enum(["preset", "discovered"]),
  users: ObjectTargetAttributesSchema,
  groups: ObjectTargetAttributesSchema,
  /** Why discovery fell back to the preset, when it did. */
  message: z.string().nullable(),
});
export type TargetAttributesView = z.infer<typeof TargetAttributesSchema>;
