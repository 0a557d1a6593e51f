import { z } from "zod";
import { ProfileSchema, type Profile } from "../../../shared/config/profile";

/** A profile file that cannot be used, with one line per problem naming its JSON path. */
export class ProfileValidationError extends Error {
  override readonly name = "ProfileValidationError";
  constructor(
    readonly problems: { path: string; message: string }[],
    source = "The profile",
  ) {
    super(`${source} is not valid:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
  }
}

/** `$.target.tenantUrl`, `$.rules.users.mappings[2].expression`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === "number"
        ? `${text}[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(key))
          ? `${text}.${String(key)}`
          : `${text}[${JSON.stringify(String(key))}]`,
    "$",
  );
}

type Issue = z.core.$ZodIssue;

/** A union's own message is "Invalid input"; the alternatives' messages say what would have been accepted. */
function describe(issue: Issue): string {
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const options = [...new Set(issue.errors.map((branch) => branch.map((inner) => describe(inner)).join("; ")))];
    return options.join(", or ");
  }
  return issue.message;
}

export function zodProblems(
  error: z.ZodError,
  prefix: readonly PropertyKey[] = [],
): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: jsonPath([...prefix, ...issue.path]), message: describe(issue) }));
}

// Secrets belong in the keychain; a profile that carries one is refused rather than silently stripped.
const SECRET_KEY =
  /^(client_?secret|secret|scim_?token|token|secret_?token|password|smtp_?password|private_?key(pem)?)$/i;

function secretKeys(value: unknown, path: PropertyKey[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => secretKeys(item, [...path, index]));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    SECRET_KEY.test(key) ? [jsonPath([...path, key])] : secretKeys(inner, [...path, key]),
  );
}

/** Parses and validates a profile file's text. Throws ProfileValidationError naming each bad JSON path. */
export function parseProfileJson(text: string, source = "The profile"): Profile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ProfileValidationError([{ path: "$", message: `not JSON (${(error as Error).message})` }], source);
  }
  const secrets = secretKeys(raw);
  if (secrets.length > 0) {
    throw new ProfileValidationError(
      secrets.map((path) => ({
        path,
        message:
          "secrets never go in a profile; remove it and store it with `provision-desk secret set client-secret|scim-token`",
      })),
      source,
    );
  }
  const parsed = ProfileSchema.safeParse(raw);
  if (!parsed.success) throw new ProfileValidationError(zodProblems(parsed.error), source);
  return parsed.data;
}

/** The profile as a file an admin can edit and import again. Secrets are not part of a profile, so none can appear. */
export function profileToJson(profile: Profile): string {
  return `${JSON.stringify(profile, null, 2)}\n`;
}

/** JSON Schema of the profile file (what an admin writes, defaults optional), for editors and the README. */
export function profileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ProfileSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
