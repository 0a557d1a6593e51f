import { z } from "zod";
import { RulesSchema } from "./mappings";
import { tenantUrlProblem } from "./urls";

/** Splashtop's regional SCIM endpoints (an on-premises gateway shows its own SCIM Base URL). */
export const SPLASHTOP_TENANT_URLS = {
  global: "https://my.splashtop.com/scim/v1",
  eu: "https://my.splashtop.eu/scim/v1",
  oc: "https://my.splashtop.nr/scim/v1",
} as const;

/**
 * The one rule for profile names, wherever a name comes from (`--profile`, PROVISIONDESK_PROFILE, a profile file, the
 * app): names key the OS keychain and appear in messages, so no path separators, control characters or escapes.
 */
export const PROFILE_NAME_RULE =
  "1 to 64 characters: letters, digits, spaces, dot, dash and underscore, starting with a letter, digit or underscore";
export const ProfileNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_][\w .-]{0,63}$/, PROFILE_NAME_RULE)
  .refine((name) => !name.endsWith(" "), "a profile name must not end with a space");

/** Why `name` cannot name a profile; null when it can. */
export function profileNameProblem(name: string): string | null {
  const parsed = ProfileNameSchema.safeParse(name);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? PROFILE_NAME_RULE);
}

/** Zod runs refinements even after the URL check failed: an unparsable URL is that check's problem, not this one's. */
const noCredentials = (url: string) => {
  if (!URL.canParse(url)) return true;
  const { username, password } = new URL(url);
  return !username && !password;
};
const HttpsUrlSchema = z
  .url({ protocol: /^https$/ })
  .refine(noCredentials, "a URL must not carry a user name or password; remove them");

export const CloudSchema = z.union([
  z.enum(["global", "usgov", "china"]),
  z.strictObject({
    authorityHost: HttpsUrlSchema.describe("e.g. https://login.example.net (the tenant id is appended)"),
    graphBaseUrl: HttpsUrlSchema.describe("e.g. https://graph.example.net (without /v1.0)"),
  }),
]);

/** https://, or http:// to this computer only; never credentials in the URL. */
export const TenantUrlSchema = z.string().superRefine((url, ctx) => {
  const problem = tenantUrlProblem(url);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const ScopeSchema = z.union([
  z.literal("assigned").describe("users and groups assigned to the enterprise app (Entra's default)"),
  z.literal("all").describe("every user and group in the directory"),
  z
    .strictObject({ groups: z.array(z.string().min(1)).min(1) })
    .describe("members of the groups picked in ProvisionDesk"),
]);

export const DeprovisionActionSchema = z.enum(["disable", "delete", "none"]);

export const SourceSchema = z.strictObject({
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  /** Application (client) id of the enterprise app whose assignments define scope. */
  appId: z.string().min(1),
  /** Client secret (kept in the OS keychain) or a certificate (its private key file, PEM). */
  credential: z
    .union([
      z.strictObject({ type: z.literal("secret") }),
      z.strictObject({
        type: z.literal("certificate"),
        certificateFile: z.string().min(1),
        privateKeyFile: z.string().min(1),
      }),
    ])
    .default({ type: "secret" }),
  scope: ScopeSchema.default("assigned"),
  /** Beyond Entra: also include members of groups nested in scoped groups. */
  includeNestedGroups: z.boolean().default(false),
  cloud: CloudSchema.default("global"),
  /** PEM file of a private CA to trust for the token endpoint and Graph (proxies, emulators). */
  caFile: z.string().optional(),
});

export const TargetSchema = z.strictObject({
  preset: z.enum(["splashtop", "generic"]).default("splashtop"),
  tenantUrl: TenantUrlSchema,
  caFile: z.string().optional(),
  /** Splashtop: the exact name of the team's SSO method (spaces included); fills the default ssoName mapping. */
  ssoMethodName: z.string().optional(),
  /** "entra": what Entra sends by default (Splashtop accepts it); "rfc7644": strict RFC requests. */
  dialect: z.enum(["entra", "rfc7644"]).default("entra"),
  actions: z
    .strictObject({
      create: z.boolean().default(true),
      update: z.boolean().default(true),
      delete: z.boolean().default(true),
    })
    .default({ create: true, update: true, delete: true }),
  provisionGroups: z.boolean().default(true),
  requestsPerSecond: z.number().positive().max(1000).default(20),
  concurrency: z.number().int().min(1).max(32).default(4),
  timeoutSeconds: z.number().positive().max(600).default(30),
  /** Members per PATCH when the target does not advertise bulk.maxOperations. */
  membershipBatchSize: z.number().int().min(1).max(1000).default(100),
});

/** Where alert emails go; the SMTP password lives in the keychain (smtp-password) or PROVISIONDESK_SMTP_PASSWORD. */
export const AlertEmailSchema = z
  .object({
    smtpHost: z.string().min(1),
    smtpPort: z.number().int().min(1).max(65535).default(587),
    /** "starttls": upgrade a plain connection (port 587); "tls": TLS from the start (port 465); "none": never encrypt. */
    security: z.enum(["starttls", "tls", "none"]).default("starttls"),
    from: z.email(),
    to: z.array(z.email()).min(1),
    /** Sign in to the SMTP server with this name (and the smtp-password secret); absent: no sign-in. */
    username: z.string().min(1).optional(),
  })
  .strict();

export const AlertsSchema = z
  .object({
    email: AlertEmailSchema.optional(),
    /** Alert when more objects than this wait in escrow (failed, retried later). */
    escrowLimit: z.number().int().min(1).default(50),
    /** Also send one summary of the last day's cycles each day. */
    dailyDigest: z.boolean().default(false),
  })
  .strict();

export const ProfileSchema = z.strictObject({
  name: ProfileNameSchema.default("default"),
  source: SourceSchema,
  target: TargetSchema,
  deprovision: z
    .union([
      DeprovisionActionSchema.transform((a) => ({ users: a, groups: a })),
      z.strictObject({
        users: DeprovisionActionSchema.default("disable"),
        groups: DeprovisionActionSchema.default("delete"),
      }),
    ])
    .default({ users: "disable", groups: "delete" }),
  safety: z
    .strictObject({
      /** Disables + deletes (users and groups) allowed per cycle before the cycle stops. */
      deletionThreshold: z.number().int().min(0).default(500),
      /** Stop when the source suddenly returns under this fraction of the in-scope objects it had. */
      canaryFraction: z.number().min(0).max(1).default(0.5),
    })
    .default({ deletionThreshold: 500, canaryFraction: 0.5 }),
  schedule: z
    .strictObject({
      intervalMinutes: z.number().int().min(5).max(1440).default(40),
      paused: z.boolean().default(false),
    })
    .default({ intervalMinutes: 40, paused: false }),
  /** Mappings and scoping filters; when absent the preset's defaults apply. */
  rules: RulesSchema.optional(),
  /** Log entries and cycles older than this are deleted at the end of each cycle. */
  log: z
    .object({ retentionDays: z.number().int().min(1).max(3650).default(30) })
    .strict()
    .default({ retentionDays: 30 }),
  alerts: AlertsSchema.default({ escrowLimit: 50, dailyDigest: false }),
});

export type Profile = z.output<typeof ProfileSchema>;
export type ProfileInput = z.input<typeof ProfileSchema>;
export type Cloud = z.output<typeof CloudSchema>;
export type SourceConfig = Profile["source"];
export type TargetConfig = Profile["target"];
export type AlertEmailConfig = z.output<typeof AlertEmailSchema>;
export type SecretName = "client-secret" | "scim-token" | "smtp-password";
