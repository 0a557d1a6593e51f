import type { AppError } from "../../../shared/ipc/result";
import { HttpError } from "../http/errors";
import { CycleLockedError } from "../lock";
import { SecretStoreUnavailableError } from "../secrets/secret-store";
import { GraphError, SourceAuthError, SourceConfigError } from "../source/errors";
import { ScimError } from "../target/errors";
import { ProfileValidationError } from "./profile-io";

/**
 * What kind of problem stopped an operation, for callers that branch (the CLI's exit codes, quarantine, the status):
 * notConfigured/config/secretStore/blocked are for the admin to fix in settings, auth is a rejected credential,
 * locked means another cycle runs, notFound means what was asked for does not exist (a user), other is anything else
 * (network, server faults, bugs).
 */
export type EngineErrorKind =
  "notConfigured" | "config" | "blocked" | "secretStore" | "auth" | "locked" | "notFound" | "other";

/**
 * The stable codes the window and the CLI show (scripts and the UI may branch on them), each with its kind.
 * SOURCE_* is Entra ID / Microsoft Graph, TARGET_* the SCIM app.
 */
export const ERROR_CODES = {
  /** No profile is set up (or the named one is not stored). */
  NOT_CONFIGURED: "notConfigured",
  /** The profile is invalid or names something that does not exist (a file, the enterprise app, a profile). */
  CONFIG: "config",
  /** A secret the operation needs is not stored. */
  SECRET_MISSING: "config",
  /** The mappings have errors, so cycles are blocked. */
  BLOCKED: "blocked",
  /** The OS keychain cannot be used at all. */
  SECRET_STORE: "secretStore",
  /** A credential was refused: Entra sign-in (AADSTS), Graph 401/403, target 401/403. */
  AUTH: "auth",
  /** Another cycle is running. */
  LOCKED: "locked",
  /** The user, group or object asked for does not exist. */
  NOT_FOUND: "notFound",
  CANCELLED: "other",
  SOURCE_UNREACHABLE: "other",
  SOURCE_THROTTLED: "other",
  SOURCE_UNAVAILABLE: "other",
  SOURCE_REJECTED: "other",
  TARGET_UNREACHABLE: "other",
  TARGET_THROTTLED: "other",
  TARGET_UNAVAILABLE: "other",
  TARGET_REJECTED: "other",
  /** A bug: nothing the admin did explains it. */
  INTERNAL: "other",
} as const satisfies Record<string, EngineErrorKind>;
export type ErrorCode = keyof typeof ERROR_CODES;

/** The code an error thrown with only a kind gets (`new EngineError("config", …)`). */
const CODE_OF_KIND: Record<EngineErrorKind, ErrorCode> = {
  notConfigured: "NOT_CONFIGURED",
  config: "CONFIG",
  blocked: "BLOCKED",
  secretStore: "SECRET_STORE",
  auth: "AUTH",
  locked: "LOCKED",
  notFound: "NOT_FOUND",
  other: "INTERNAL",
};

const isErrorCode = (value: string): value is ErrorCode => value in ERROR_CODES;

/** The one error type the engine throws on purpose: a stable code, a message for the admin, technical detail apart. */
export class EngineError extends Error {
  override readonly name = "EngineError";
  readonly code: ErrorCode;
  readonly kind: EngineErrorKind;
  constructor(
    codeOrKind: ErrorCode | EngineErrorKind,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.code = isErrorCode(codeOrKind) ? codeOrKind : CODE_OF_KIND[codeOrKind];
    this.kind = ERROR_CODES[this.code];
  }
}

export interface MappedError extends AppError {
  code: ErrorCode;
}

const appError = (code: ErrorCode, message: string, detail?: string): MappedError =>
  detail ? { code, message, detail } : { code, message };

function fromGraph(error: GraphError): MappedError {
  const said = error.graphMessage ? ` It said: "${error.graphMessage}".` : "";
  const detail =
    `Microsoft Graph ${error.status} ${error.code}: ${error.graphMessage} ` +
    `(request-id ${error.requestId ?? "none"}, client-request-id ${error.clientRequestId})`;
  // GraphError already words 403 (naming the missing permission), 429 and 5xx for the admin.
  if (error.status === 403) return appError("AUTH", error.message, detail);
  if (error.status === 429) return appError("SOURCE_THROTTLED", error.message, detail);
  if (error.status >= 500) return appError("SOURCE_UNAVAILABLE", error.message, detail);
  if (error.status === 401)
    return appError(
      "AUTH",
      `Microsoft Graph did not accept the app's sign-in (401).${said} Check the tenant ID, client ID and client secret or certificate under Connections.`,
      detail,
    );
  if (error.status === 404)
    return appError("NOT_FOUND", `Microsoft Graph has no such object (404).${said} Check the name or id.`, detail);
  return appError(
    "SOURCE_REJECTED",
    `Microsoft Graph refused the request (${error.status} ${error.code}).${said}`,
    detail,
  );
}

function fromScim(error: ScimError): MappedError {
  const ids = [error.status && `HTTP ${error.status}`, error.code, error.requestId && `request-id ${error.requestId}`];
  const detail = [ids.filter(Boolean).join(", "), error.detail].filter(Boolean).join(": ");
  const code: ErrorCode = {
    unauthorized: "AUTH",
    forbidden: "AUTH",
    notFound: "NOT_FOUND",
    throttled: "TARGET_THROTTLED",
    server: "TARGET_UNAVAILABLE",
    conflict: "TARGET_REJECTED",
    invalid: "TARGET_REJECTED",
    network: error.code === "Cancelled" ? "CANCELLED" : error.code === "InsecureUrl" ? "CONFIG" : "TARGET_UNREACHABLE",
  }[error.kind] as ErrorCode;
  return appError(code, error.message, detail);
}

/**
 * THE mapper from anything thrown to what the window and the CLI show: a stable code, the admin's message and the
 * technical detail. Errors the engine knows keep their own message; anything else is a bug (INTERNAL), told in
 * general words with the error's name and message as detail (`action` names what was running, e.g. an IPC method).
 */
export function toAppError(error: unknown, action?: string): MappedError {
  if (error instanceof EngineError) return appError(error.code, error.message, error.detail);
  if (error instanceof CycleLockedError) return appError("LOCKED", error.message, error.file);
  if (error instanceof SecretStoreUnavailableError) return appError("SECRET_STORE", error.message, error.detail);
  if (error instanceof ProfileValidationError) return appError("CONFIG", error.message);
  if (error instanceof SourceConfigError) return appError("CONFIG", error.message);
  if (error instanceof SourceAuthError) {
    const code: ErrorCode =
      error.kind === "throttled"
        ? "SOURCE_THROTTLED"
        : error.kind === "network" || error.kind === "tls"
          ? "SOURCE_UNREACHABLE"
          : "AUTH";
    return appError(code, error.message, error.detail);
  }
  if (error instanceof GraphError) return fromGraph(error);
  if (error instanceof ScimError) return fromScim(error);
  // The SCIM client wraps its transport failures in ScimError; a bare HttpError comes from the Graph client.
  if (error instanceof HttpError) {
    const code: ErrorCode =
      error.kind === "aborted" ? "CANCELLED" : error.kind === "insecureUrl" ? "CONFIG" : "SOURCE_UNREACHABLE";
    return appError(code, error.message, error.detail);
  }
  if (error instanceof Error && error.name === "AbortError")
    return appError("CANCELLED", "The operation was cancelled.", error.message);
  const where = action ? ` while running "${action}"` : "";
  return appError(
    "INTERNAL",
    `ProvisionDesk hit an unexpected problem${where}. Try again; if it keeps happening, send the app log to support.`,
    error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  );
}

/** The kind of any thrown error, for callers that branch (exit codes, quarantine); same mapping as toAppError. */
export function errorKind(error: unknown): EngineErrorKind {
  return ERROR_CODES[toAppError(error).code];
}
