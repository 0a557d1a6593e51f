// Reading a profile from a file or the window, and checking it: one path for `config import`, the app's save and
// `--profile`. Caps on size and nesting are checked before JSON.parse, so no file can exhaust the stack or memory.
import { z } from "zod";
import { ProfileSchema, type Profile } from "../../../shared/config/profile";
import type { Problem } from "../../../shared/ipc/model";
import { similar } from "../rules/expression/validate";
import { rulesView } from "./rules-view";

export const MAX_PROFILE_BYTES = 1_000_000;
/** A real profile nests 6 deep (rules.users.scopingFilters[0].clauses[0]); anything near this is not a profile. */
export const MAX_PROFILE_DEPTH = 32;

/** A profile that cannot be used, with one line per problem naming its JSON path. */
export class ProfileValidationError extends Error {
  override readonly name = "ProfileValidationError";
  constructor(
    readonly problems: Problem[],
    source = "The profile",
  ) {
    super(`${source} is not valid:\n${formatProblems(problems.filter((p) => p.severity === "error"))}`);
  }
}

/** One indented line per problem: `  target.tenantUrl: …` (the whole file is `(file)`). */
export const formatProblems = (problems: readonly Problem[]): string =>
  problems.map((p) => `  ${p.path || "(file)"}: ${p.message}`).join("\n");

/** `target.tenantUrl`, `rules.users.mappings.2.expression`: the path form the window and the CLI share. */
export const jsonPath = (path: readonly PropertyKey[]): string => path.map(String).join(".");

const error = (path: string, message: string, offset?: number): Problem => ({
  path,
  severity: "error",
  message,
  ...(offset === undefined ? {} : { offset }),
});

type Issue = z.core.$ZodIssue;

/** A union's own message is "Invalid input"; the alternatives' messages say what would have been accepted. */
function describe(issue: Issue): string {
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const options = [...new Set(issue.errors.map((branch) => branch.map((inner) => describe(inner)).join("; ")))];
    return options.join(", or ");
  }
  return issue.message;
}

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** The keys an object in the profile may have at `path` (unwrapping defaults, unions, arrays and pipes). */
function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case "default":
    case "optional":
    case "nullable":
      return keysAt(def.innerType, path);
    case "pipe":
      return [...keysAt(def.in, path), ...keysAt(def.out, path)];
    case "union":
      return [...new Set((def.options as unknown[]).flatMap((option) => keysAt(option, path)))];
    case "array":
      return path.length > 0 ? keysAt(def.element, path.slice(1)) : [];
    case "object": {
      const shape = def.shape as Record<string, unknown>;
      if (path.length === 0) return Object.keys(shape);
      const inner = shape[String(path[0])];
      return inner ? keysAt(inner, path.slice(1)) : [];
    }
    default:
      return [];
  }
}

/** Zod's issues on a profile as problems; an unknown key is named by its own path, with the closest known key. */
export function zodProblems(zodError: z.ZodError): Problem[] {
  return zodError.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => {
          const close = similar(key, keysAt(ProfileSchema, issue.path), 1)[0];
          const hint = close ? `did you mean "${close}"?` : 'see "provision-desk config schema" for the settings';
          return error(jsonPath([...issue.path, key]), `unknown setting "${key}"; ${hint}`);
        })
      : [error(jsonPath(issue.path), describe(issue))],
  );
}

// Secrets belong in the keychain; a profile that carries one is refused rather than silently stripped.
const SECRET_KEY = /secret|passw|pwd|token|api_?key|bearer|authorization|private_?key(?!_?file$)|client_?assertion/i;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Walks already-parsed JSON without recursion (no stack to exhaust): nesting too deep, secret-like keys, and text
 * that is not valid Unicode. Stops at the first too-deep value.
 */
function structureProblems(value: unknown): Problem[] {
  const problems: Problem[] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    if (path.length > MAX_PROFILE_DEPTH)
      return [error(jsonPath(path), `nested more than ${MAX_PROFILE_DEPTH} levels deep; this is not a profile`)];
    if (typeof item === "string" && LONE_SURROGATE.test(item))
      problems.push(error(jsonPath(path), "contains text that is not valid Unicode"));
    if (item === null || typeof item !== "object") continue;
    for (const [key, inner] of Object.entries(item)) {
      if (!Array.isArray(item) && SECRET_KEY.test(key))
        problems.push(
          error(
            jsonPath([...path, key]),
            "secrets never go in a profile; remove it and store it with `provision-desk secret set client-secret|scim-token` or under Connections",
          ),
        );
      else stack.push({ value: inner, path: [...path, key] });
    }
  }
  return problems.reverse();
}

/** Deepest nesting of `[`/`{` in JSON text, counted without parsing (strings skipped). */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return depth;
}

/** Turns a profile file's bytes into JSON: size cap, strict UTF-8 (a bad byte is refused, not replaced), depth cap. */
export function decodeProfileFile(bytes: Uint8Array | string): { value?: unknown; problems: Problem[] } {
  const size = typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > MAX_PROFILE_BYTES)
    return {
      problems: [error("", `the file is ${size} bytes; a profile is at most ${MAX_PROFILE_BYTES} bytes (1 MB)`)],
    };
  let text: string;
  if (typeof bytes === "string") text = bytes;
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return { problems: [error("", "the file is not valid UTF-8 text; save it as UTF-8 and import it again")] };
    }
  }
  if (nestingDepth(text, MAX_PROFILE_DEPTH) > MAX_PROFILE_DEPTH)
    return { problems: [error("", `nested more than ${MAX_PROFILE_DEPTH} levels deep; this is not a profile`)] };
  try {
    return { value: JSON.parse(text), problems: [] };
  } catch (parseError) {
    const offset = /position (\d+)/.exec((parseError as Error).message)?.[1];
    return {
      problems: [
        error("", `not JSON (${(parseError as Error).message})`, offset === undefined ? undefined : Number(offset)),
      ],
    };
  }
}

export interface CheckedProfile {
  /** The profile when it passed the schema (its rules may still have errors); null otherwise. */
  profile: Profile | null;
  /** Errors and warnings, schema and rules together. */
  problems: Problem[];
}

/**
 * The one check every save goes through: structure, schema (strict: unknown keys are named) and rules (bad rules,
 * unknown functions, dangerous regexes). Any "error" means the profile must not be stored.
 */
export function checkProfile(value: unknown): CheckedProfile {
  const structural = structureProblems(value);
  if (structural.length > 0) return { profile: null, problems: structural };
  if (JSON.stringify(value).length > MAX_PROFILE_BYTES)
    return { profile: null, problems: [error("", `a profile is at most ${MAX_PROFILE_BYTES} bytes (1 MB)`)] };
  const parsed = ProfileSchema.safeParse(value);
  if (!parsed.success) return { profile: null, problems: zodProblems(parsed.error) };
  return { profile: parsed.data, problems: rulesView(parsed.data).problems };
}

export const hasErrors = (problems: readonly Problem[]) => problems.some((p) => p.severity === "error");

/** Parses and checks a profile file's text or bytes. Throws ProfileValidationError naming each bad JSON path. */
export function parseProfileJson(text: Uint8Array | string, source = "The profile"): Profile {
  const decoded = decodeProfileFile(text);
  const checked =
    decoded.problems.length > 0 ? { profile: null, problems: decoded.problems } : checkProfile(decoded.value);
  if (!checked.profile || hasErrors(checked.problems)) throw new ProfileValidationError(checked.problems, source);
  return checked.profile;
}

/** The profile as a file an admin can edit and import again. Secrets are not part of a profile, so none can appear. */
export function profileToJson(profile: Profile): string {
  return `${JSON.stringify(profile, null, 2)}\n`;
}

/** JSON Schema of the profile file (what an admin writes, defaults optional), for editors and the README. */
export function profileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ProfileSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
