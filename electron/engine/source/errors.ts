/** Typed failures of the Entra ID side: a kind to branch on, a message an admin can act on, and the technical detail. */

export type SourceAuthErrorKind =
  | "invalidSecret"
  | "expiredSecret"
  | "unknownClient"
  | "unknownTenant"
  | "certificateRejected"
  | "badCredential"
  | "tls"
  | "network"
  | "throttled"
  | "emptyToken"
  | "rejected";

export class SourceAuthError extends Error {
  override readonly name = "SourceAuthError";
  readonly kind: SourceAuthErrorKind;
  /** The AADSTS number when Entra sent one, e.g. "7000215". */
  readonly aadsts?: string;
  /** Technical detail for logs: msal's error code, Entra's description, trace and correlation ids. */
  readonly detail: string;

  constructor(init: { kind: SourceAuthErrorKind; message: string; detail: string; aadsts?: string; cause?: unknown }) {
    super(init.message, { cause: init.cause });
    this.kind = init.kind;
    this.detail = init.detail;
    this.aadsts = init.aadsts;
  }
}

/** The application permission a Graph path needs, for a 403's advice. */
function permissionFor(path: string): string | undefined {
  if (/^\/v1\.0\/users/i.test(path)) return "User.Read.All";
  if (/^\/v1\.0\/groups/i.test(path)) return "Group.Read.All";
  if (/^\/v1\.0\/servicePrincipals/i.test(path)) return "Application.Read.All";
  return undefined;
}

/** What an admin reads first: what happened and what to do; the status, code and ids follow in brackets. */
function advice(status: number, path: string): string | undefined {
  if (status === 403) {
    const permission = permissionFor(path) ?? "the permission this request needs";
    return (
      `Microsoft Graph refused to let the app read this data (403): the app registration lacks the application ` +
      `permission ${permission}, or admin consent for it. Add it under API permissions in the Entra admin center and ` +
      `grant admin consent; the next cycle will then read it.`
    );
  }
  if (status === 429)
    return "Microsoft Graph kept asking to slow down (429) after several retries. The next cycle will try again; if this keeps happening, run cycles less often.";
  if (status >= 500)
    return `Microsoft Graph failed (${status}) after several retries. This is on Microsoft's side; the next cycle will try again.`;
  return undefined;
}

/** A Graph error envelope ({"error": {"code", "message", "innerError"}}) turned into a value to branch on. */
export class GraphError extends Error {
  override readonly name = "GraphError";
  readonly status: number;
  /** Graph's error code, e.g. "Authorization_RequestDenied", "syncStateNotFound": branch on this, never on the message. */
  readonly code: string;
  /** Graph's own message, unchanged (the Error message adds the request and ids). */
  readonly graphMessage: string;
  readonly requestId?: string;
  readonly clientRequestId: string;

  constructor(init: {
    status: number;
    code: string;
    graphMessage: string;
    method: string;
    path: string;
    requestId?: string;
    clientRequestId: string;
  }) {
    const ids = `request-id ${init.requestId ?? "none"}, client-request-id ${init.clientRequestId}`;
    const path = init.path.split("?")[0]!;
    const plain = advice(init.status, path);
    super(
      plain
        ? `${plain} (${init.status} ${init.code} on ${init.method} ${path}: ${init.graphMessage}; ${ids})`
        : `Microsoft Graph answered ${init.status} ${init.code} to ${init.method} ${init.path}: ${init.graphMessage} (${ids})`,
    );
    this.status = init.status;
    this.code = init.code;
    this.graphMessage = init.graphMessage;
    this.requestId = init.requestId;
    this.clientRequestId = init.clientRequestId;
  }

  /** The app registration lacks a Graph permission (or admin consent for it). */
  get isPermissionDenied(): boolean {
    return this.status === 403;
  }

  /** Worth trying again in a later cycle: throttling or a server fault that outlasted the HTTP layer's retries. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

export type SourceConfigErrorKind = "appNotFound";

/** The tenant's content does not match the settings (e.g. the enterprise app does not exist). */
export class SourceConfigError extends Error {
  override readonly name = "SourceConfigError";
  readonly kind: SourceConfigErrorKind;

  constructor(kind: SourceConfigErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}
