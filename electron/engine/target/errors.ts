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
  /** The client-request-id the failed request was sent with. */
  readonly clientRequestId?: string;
  /** A POST failed in a way that may have created the object anyway: look it up before creating it again. */
  readonly mayHaveBeenApplied: boolean;
  /** What to do, drawn from what the target said (for refusals); the engine's generic advice applies otherwise. */
  readonly recommendation?: string;
  /** The refusal will not change until something changes in Entra or the target: retrying it as is only repeats it. */
  readonly lasting: boolean;

  constructor(init: {
    kind: ScimErrorKind;
    code: string;
    message: string;
    status?: number;
    scimType?: string;
    detail?: string;
    requestId?: string;
    clientRequestId?: string;
    mayHaveBeenApplied?: boolean;
    recommendation?: string;
    lasting?: boolean;
  }) {
    super(init.message);
    this.kind = init.kind;
    this.code = init.code;
    this.status = init.status;
    this.scimType = init.scimType;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.clientRequestId = init.clientRequestId;
    this.mayHaveBeenApplied = init.mayHaveBeenApplied ?? false;
    if (init.recommendation) this.recommendation = init.recommendation;
    this.lasting = init.lasting ?? false;
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
    clientRequestId: res.clientRequestId,
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
  const advice = refusalAdvice({ preset: ctx.preset, dialect: ctx.dialect, what, scimType, detail, status: s });
  return new ScimError({
    ...base,
    kind: "invalid",
    code: advice.code ?? ((scimType && INVALID_CODES[scimType]) || (s === 400 ? "BadRequest" : `Http${s}`)),
    message: `${app} rejected the request to ${ctx.action} a ${what} (${s}${scimType ? ` ${scimType}` : ""}).${said}`,
    recommendation: advice.recommendation,
    lasting: advice.lasting,
  });
}

/** "more than 1000 members", "at most 1000", "maximum of 1000", "limit of 1000", "exceeds 1000": the number. */
const LIMIT =
  /\b(?:more than|at most|maximum(?: of)?|max(?:imum)? (?:is|of)|limit(?:ed)?(?: of| to| is)?|exceed(?:s|ed|ing)?|up to)\s+(\d[\d,]*)/i;

/** The limit the target states in its detail, if it states one about members. */
export function memberLimit(detail: string | undefined): { limit?: number } | undefined {
  if (!detail || !/member/i.test(detail)) return undefined;
  const m = LIMIT.exec(detail);
  if (m) return { limit: Number(m[1]!.replace(/,/g, "")) };
  return /\b(?:limit|too many|maximum|exceed)/i.test(detail) ? {} : undefined;
}

interface Refusal {
  preset: Preset;
  dialect?: "entra" | "rfc7644";
  what: string;
  scimType?: string;
  detail?: string;
  status: number;
}

/**
 * Advice from what the server said (scimType, detail, status), not from what we were doing. The request-style hint
 * appears only for refusals of request syntax that the RFC 7644 style changes: op-name casing, "True"/"False" strings,
 * paths the strict style writes differently.
 */
export function refusalAdvice(r: Refusal): { recommendation: string; lasting: boolean; code?: string } {
  const detail = r.detail ?? "";
  const limit = r.what === "group" ? memberLimit(detail) : undefined;
  if (limit) {
    const most = limit.limit !== undefined ? `at most ${limit.limit} members` : "only a limited number of members";
    return {
      code: "GroupMemberLimit",
      lasting: true,
      recommendation: `The target allows ${most} per group: split the group in Entra or narrow the scope.`,
    };
  }
  const styleHint =
    r.dialect === "entra"
      ? " If the app expects strict RFC 7644 requests, set the request style to RFC 7644 in Connections → Target."
      : "";
  const stringBoolean = /["'“]?\b(?:True|False)\b["'”]?/.test(detail) && /bool/i.test(detail);
  if (r.scimType === "invalidSyntax" || stringBoolean || /\bop\b.*\b(?:lowercase|case)/i.test(detail)) {
    return {
      lasting: true,
      recommendation: styleHint
        ? `The app did not accept how the request was written.${styleHint}`
        : "The app did not accept how the request was written: report the detail to the app's vendor.",
    };
  }
  if (r.scimType === "invalidPath" || r.scimType === "noTarget") {
    return {
      lasting: true,
      recommendation: `The app does not know an attribute this ${r.what} maps to: remove or correct that mapping in Mappings.${styleHint}`,
    };
  }
  if (r.scimType === "mutability")
    return {
      lasting: true,
      recommendation: "The app does not let this attribute be changed: map it on create only, or remove the mapping.",
    };
  if (r.scimType === "uniqueness")
    return {
      lasting: true,
      recommendation: `Another ${r.what} in the app already has this value: make it unique in Entra or in the app.`,
    };
  if (r.preset === "splashtop" && /sso/i.test(detail))
    return {
      lasting: true,
      recommendation:
        "The ssoName must equal the exact name of the team's SSO method in Splashtop, spaces included (Connections → Target).",
    };
  if (/\bemails?\b/i.test(detail) && /required|must contain|missing/i.test(detail))
    return {
      lasting: true,
      recommendation:
        'The app needs an email address: map emails[type eq "work"].value (e.g. from mail or userPrincipalName) in Mappings, or make userName an email address.',
    };
  if (/schema/i.test(detail) && /unsupported|unknown|not supported/i.test(detail))
    return {
      lasting: true,
      recommendation:
        "The app does not support an extension schema the mappings write to: remove the mappings to that schema's attributes.",
    };
  if (/\bnull\b/i.test(detail))
    return {
      lasting: true,
      recommendation:
        "The app refuses empty (null) values: give the attribute a default value in Mappings, or remove that mapping.",
    };
  if (r.scimType === "invalidValue")
    return {
      lasting: true,
      recommendation: `Correct the value the app refused (in Entra ID or in the mapping that produces it); the ${r.what} is retried after a back-off.`,
    };
  return {
    lasting: false,
    recommendation: `Check the attribute mappings and the ${r.what}'s values in Entra ID; the ${r.what} is retried in a later cycle.`,
  };
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
