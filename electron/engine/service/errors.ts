import { CycleLockedError } from "../lock";
import { SecretStoreUnavailableError } from "../secrets/secret-store";
import { GraphError, SourceAuthError } from "../source/errors";
import { ScimError } from "../target/errors";
import { ProfileValidationError } from "./profile-io";

/**
 * What kind of problem stopped an operation, for callers that branch (the CLI's exit codes, the status line):
 * notConfigured/config/secretStore/blocked are for the admin to fix in settings, auth is a rejected credential,
 * locked means another cycle runs, notFound means what was asked for does not exist (a user), other is anything else
 * (network, server faults).
 */
export type EngineErrorKind =
  "notConfigured" | "config" | "blocked" | "secretStore" | "auth" | "locked" | "notFound" | "other";

export class EngineError extends Error {
  override readonly name = "EngineError";
  /** The code the window gets (see the dispatcher's coded errors): a plain "not found" is no unexpected problem. */
  readonly code: string | undefined;
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.code = kind === "notFound" ? "NOT_FOUND" : undefined;
  }
}

export function errorKind(error: unknown): EngineErrorKind {
  if (error instanceof EngineError) return error.kind;
  if (error instanceof CycleLockedError) return "locked";
  if (error instanceof SecretStoreUnavailableError) return "secretStore";
  if (error instanceof ProfileValidationError) return "config";
  if (error instanceof SourceAuthError) return ["network", "throttled", "tls"].includes(error.kind) ? "other" : "auth";
  // Graph answers 401 for a token it does not accept and 403 for a permission the app lacks: both need the admin.
  if (error instanceof GraphError) return error.status === 401 || error.status === 403 ? "auth" : "other";
  if (error instanceof ScimError) return error.kind === "unauthorized" || error.kind === "forbidden" ? "auth" : "other";
  return "other";
}

/** Technical detail behind an admin-readable message: the error's own detail, or the stack of an unexpected error. */
export function errorDetail(error: unknown): string | undefined {
  const detail = (error as { detail?: unknown } | null)?.detail;
  if (typeof detail === "string") return detail;
  return error instanceof Error && errorKind(error) === "other" ? error.stack : undefined;
}
