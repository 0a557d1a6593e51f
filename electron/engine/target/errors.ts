/** Typed SCIM failures: a kind to branch on, an Entra-style code for logs, and a message that says what to do. */
import type { HttpError, HttpResponse } from "../http";

export type ScimErrorKind =
  "unauthorized" | "forbidden" | "conflict" | "notFound" | "invalid" | "throttled" | "server" | "network";
export type Preset = "splashtop" | "generic";
export type ResourceType = "Users" | "Groups";

export class ScimError extends Error {
  override readonly name = "ScimError";
  readonly kind: ScimErrorKind;
  /** Entra provisioning-log style code: Unauthorized, Conflict, InvalidAnchor, TooManyRequests, SchemaAttributeNotFound, ... */
  readonly code: string;
  readonly status?: number;
  readonly scimType?: string;
  /** What the target said (SCIM error detail or body text), or the network error's technical detail. */
  readonly detail?: string;
  readonly requestId?: string;
  /** A POST failed in a way that may have created the object anyway: look it up before creating it again. */
  readonly mayHaveBeenApplied: boolean;

  constructor(init: {
    kind: ScimErrorKind;
    code: string;
    message: string;
    status?: number;
    scimType?: string;
    detail?: string;
    requestId?: string;
    mayHaveBeenApplied?: boolean;
  }) {
    super(init.message);
    this.kind = init.kind;
    this.code = init.code;
    this.status = init.status;
    this.scimType = init.scimType;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.mayHaveBeenApplied = init.mayHaveBeenApplied ?? false;
  }
}

export function appName(preset: Preset): string {
  return preset === "splashtop" ? "Splashtop" : "The SCIM app";
}

/** The `detail` of a SCIM error body, or whatever text another kind of server sent (trimmed for logs). */
function bodyDetail(body: unknown): { detail?: string; scimType?: string } {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const nested = b.error && typeof b.error === "object" ? (b.error as Record<string, unknown>).message : undefined;
    const detail = [b.detail, b.message, nested, b.error_description].find((v) => typeof v === "string") as
      string | undefined;
    const scimType = typeof b.scimType === "string" ? b.scimType : undefined;
    return { ...(detail ? { detail } : {}), ...(scimType ? { scimType } : {}) };
  }
  if (typeof body === "string" && body.trim()) return { detail: body.trim().slice(0, 500) };
  return {};
}

const INVALID_CODES: Record<string, string> = {
  invalidPath: "SchemaAttributeNotFound",
  noTarget: "SchemaAttributeNotFound",
  invalidFilter: "InvalidFilter",
  invalidValue: "InvalidValue",
  invalidSyntax: "InvalidSyntax",
  mutability: "AttributeNotWritable",
  uniqueness: "Conflict",
  tooMany: "TooManyResults",
};

export interface ErrorContext {
  preset: Preset;
  type: ResourceType;
  /** What we were doing, for the message: "create", "update", "delete", "look up", "list", "read". */
  action: string;
  id?: string;
  /** Entra-style PATCHes ("Replace", "False") are the usual cause of a 400 from a strict RFC 7644 server. */
  dialect?: "entra" | "rfc7644";
}

/** Maps a non-success SCIM response to a ScimError. */
export function fromResponse(res: HttpResponse, ctx: ErrorContext): ScimError {
  const app = appName(ctx.preset);
  const what = ctx.type === "Users" ? "user" : "group";
  const { detail, scimType } = bodyDetail(res.body);
  const base = {
    status: res.status,
    ...(scimType ? { scimType } : {}),
    ...(detail ? { detail } : {}),
    ...(res.requestId ? { requestId: res.requestId } : {}),
  };
  const said = detail ? ` It said: "${detail}".` : "";
  const s = res.status;

  if (s === 401) {
    const fix =
      ctx.preset === "splashtop"
        ? "Generate a new SCIM token in the Splashtop web portal and paste it in Connections → Target."
        : "Check the secret token in Connections → Target: it may be mistyped, expired or revoked.";
    return new ScimError({
      ...base,
      kind: "unauthorized",
      code: "Unauthorized",
      message: `${app} rejected the token (401). ${fix}`,
    });
  }
  if (s === 403) {
    const fix =
      ctx.preset === "splashtop"
        ? "Check that a team admin generated the token and that the team's SSO method is approved in the Splashtop web portal."
        : "Check what the token is allowed to do in the app's admin settings.";
    return new ScimError({
      ...base,
      kind: "forbidden",
      code: "Forbidden",
      message: `${app} refused to let this token ${ctx.action} ${what}s (403).${said} ${fix}`,
    });
  }
  if (s === 409) {
    return new ScimError({
      ...base,
      kind: "conflict",
      code: "Conflict",
      message: `${app} already has a ${what} with the same unique value (409 Conflict).${said} It will be looked up and linked instead of created.`,
    });
  }
  if (s === 404) {
    const ref = ctx.id ? ` ${ctx.id}` : "";
    return new ScimError({
      ...base,
      kind: "notFound",
      code: "InvalidAnchor",
      message: `The ${what}${ref} no longer exists in ${app} (404): it was probably deleted there. The link is dropped and, if it is still in scope, it will be created again.`,
    });
  }
  if (s === 429) {
    return new ScimError({
      ...base,
      kind: "throttled",
      code: "TooManyRequests",
      message: `${app} kept asking to slow down (429) after several retries. Lower the request rate in Connections → Target; the ${what} will be retried next cycle.`,
    });
  }
  if (s >= 500) {
    // A gateway error means the app behind it may have processed a create anyway.
    const mayHaveBeenApplied = ctx.action === "create" && (s === 502 || s === 504);
    return new ScimError({
      ...base,
      kind: "server",
      code: s === 503 ? "ServiceUnavailable" : "ServerError",
      mayHaveBeenApplied,
      message: `${app} failed with an internal error (${s}) while trying to ${ctx.action} a ${what}.${said} This is on the app's side; the ${what} will be retried next cycle.`,
    });
  }
  const ssoHint =
    ctx.preset === "splashtop" && /sso/i.test(detail ?? "")
      ? " The ssoName must equal the exact name of the team's SSO method in Splashtop, spaces included (Connections → Target)."
      : " Check the attribute mappings.";
  const dialectHint =
    ctx.dialect === "entra" && ctx.action === "update" && s === 400
      ? " If the app expects strict RFC 7644 requests, set the request style to RFC 7644 in Connections → Target."
      : "";
  return new ScimError({
    ...base,
    kind: "invalid",
    code: (scimType && INVALID_CODES[scimType]) || (s === 400 ? "BadRequest" : `Http${s}`),
    message: `${app} rejected the request to ${ctx.action} a ${what} (${s}${scimType ? ` ${scimType}` : ""}).${said}${ssoHint}${dialectHint}`,
  });
}

/** Wraps a transport failure (no usable response) so the engine handles one error type. */
export function fromHttpError(err: HttpError): ScimError {
  const code = {
    network: "NetworkError",
    timeout: "Timeout",
    tls: "TlsError",
    insecureUrl: "InsecureUrl",
    aborted: "Cancelled",
  }[err.kind];
  return new ScimError({
    kind: "network",
    code,
    message: err.message,
    detail: err.detail,
    mayHaveBeenApplied: err.mayHaveBeenApplied,
  });
}
