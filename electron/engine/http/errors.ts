/** Typed failures of the HTTP layer: a kind to branch on, an admin-readable message, and the technical detail. */

export type HttpErrorKind = "network" | "timeout" | "insecureUrl" | "tls" | "aborted";

export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly kind: HttpErrorKind;
  /** Technical detail for logs (error code, original message). */
  readonly detail: string;
  /** Node/undici error code when there was one (ECONNRESET, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...). */
  readonly code?: string;
  /**
   * True when the request may have reached the server before failing (timeout or dropped connection on a request
   * that was not retried because it is not idempotent): look the object up before sending it again.
   */
  readonly mayHaveBeenApplied: boolean;

  constructor(init: {
    kind: HttpErrorKind;
    message: string;
    detail: string;
    code?: string;
    mayHaveBeenApplied?: boolean;
  }) {
    super(init.message);
    this.kind = init.kind;
    this.detail = init.detail;
    this.code = init.code;
    this.mayHaveBeenApplied = init.mayHaveBeenApplied ?? false;
  }
}

/** Certificate problems: the fix is the admin's (trust the CA, renew the certificate), so never retried. */
const TLS_CODES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "untrusted",
  UNABLE_TO_GET_ISSUER_CERT: "untrusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "untrusted",
  SELF_SIGNED_CERT_IN_CHAIN: "untrusted",
  DEPTH_ZERO_SELF_SIGNED_CERT: "untrusted",
  CERT_UNTRUSTED: "untrusted",
  CERT_HAS_EXPIRED: "expired",
  CERT_NOT_YET_VALID: "expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "name",
  ERR_SSL_WRONG_VERSION_NUMBER: "protocol",
  ERR_SSL_UNSUPPORTED_PROTOCOL: "protocol",
  EPROTO: "protocol",
};

/** Errors that happen before any byte of the request reaches the server: always safe to retry. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/** Network errors worth another attempt (transient), as opposed to a wrong host name or certificate. */
const TRANSIENT_CODES = new Set([
  ...NOT_SENT_CODES,
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export function isTransient(err: HttpError): boolean {
  return err.kind === "timeout" || (err.kind === "network" && err.code !== undefined && TRANSIENT_CODES.has(err.code));
}

export function wasNotSent(err: HttpError): boolean {
  return err.code !== undefined && NOT_SENT_CODES.has(err.code);
}

export function insecureUrlError(url: URL): HttpError {
  return new HttpError({
    kind: "insecureUrl",
    message:
      `The address ${url.origin} must use https://. Plain http:// is only allowed to this computer ` +
      `(localhost, 127.0.0.1, ::1), because tokens and user data would otherwise cross the network unencrypted.`,
    detail: `refused ${url.protocol} request to ${url.host}`,
  });
}

function errorCode(err: unknown): string | undefined {
  // undici wraps some socket errors: the code that explains the failure may sit on the cause.
  for (
    let e: unknown = err, depth = 0;
    e && typeof e === "object" && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (TLS_CODES[code] || TRANSIENT_CODES.has(code) || code === "ENOTFOUND")) return code;
  }
  const top = (err as { code?: unknown } | null)?.code;
  return typeof top === "string" ? top : undefined;
}

function tlsMessage(host: string, reason: string): string {
  switch (reason) {
    case "untrusted":
      return `The certificate of ${host} is not trusted. If your organisation uses a private CA (or a TLS-inspecting proxy), set its PEM file in Settings (CA file).`;
    case "expired":
      return `The certificate of ${host} has expired or is not valid yet. Ask the service's owner to renew it, and check this computer's clock.`;
    case "name":
      return `The certificate of ${host} was issued for a different name. Check the URL in Settings: it must use the host name the certificate covers.`;
    default:
      return `A secure (TLS 1.2+) connection to ${host} could not be made. Check that the URL uses https:// on the right port.`;
  }
}

/** Turns whatever undici/Node threw into an HttpError with a message an admin can act on. */
export function toHttpError(
  err: unknown,
  url: URL,
  ctx: { timeoutMs: number; timedOut: boolean; aborted: boolean; idempotent: boolean },
): HttpError {
  if (err instanceof HttpError) return err;
  const host = url.host;
  const code = errorCode(err);
  const raw = err instanceof Error ? err.message : String(err);
  const detail = code ? `${code}: ${raw}` : raw;
  const sent = !(code && NOT_SENT_CODES.has(code));
  const mayHaveBeenApplied = sent && !ctx.idempotent;
  const applied = mayHaveBeenApplied ? " The request may have been applied: check before sending it again." : "";

  if (ctx.aborted)
    return new HttpError({
      kind: "aborted",
      message: `The request to ${host} was cancelled.`,
      detail,
      code,
      mayHaveBeenApplied,
    });
  if (ctx.timedOut || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "ETIMEDOUT") {
    const secs = Math.round(ctx.timeoutMs / 100) / 10;
    return new HttpError({
      kind: "timeout",
      message: `${host} did not answer within ${secs} s. The service may be overloaded or unreachable; it will be retried later, or raise the timeout in Settings.${applied}`,
      detail,
      // One code for every way a request times out (our timer, undici's header or body timeout): retries and logs name it.
      code: "TIMEOUT",
      mayHaveBeenApplied,
    });
  }
  const tls = code ? TLS_CODES[code] : undefined;
  if (tls) return new HttpError({ kind: "tls", message: tlsMessage(host, tls), detail, code });
  if (code === "ENOTFOUND") {
    return new HttpError({
      kind: "network",
      message: `The host name ${url.hostname} could not be found. Check the URL in Settings and this computer's DNS or network connection.`,
      detail,
      code,
    });
  }
  if (code === "ECONNREFUSED") {
    return new HttpError({
      kind: "network",
      message: `${host} refused the connection. Check the URL and port in Settings and that the service is running.`,
      detail,
      code,
    });
  }
  return new HttpError({
    kind: "network",
    message: `The connection to ${host} failed (${code ?? "network error"}). Check this computer's network, proxy or firewall.${applied}`,
    detail,
    code,
    mayHaveBeenApplied,
  });
}
