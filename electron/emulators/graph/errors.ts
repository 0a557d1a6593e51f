// Error bodies in the exact shapes clients see from Microsoft: Graph's envelope and the
// identity platform's OAuth error. Clients must branch on `code` / `error`, never on message.

import { randomUUID } from "node:crypto";

/** Thrown by handlers; the router turns it into the Graph error envelope. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function graphErrorBody(code: string, message: string, requestId: string, clientRequestId: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        // Graph formats this date without milliseconds or zone suffix.
        date: new Date().toISOString().slice(0, 19),
        "request-id": requestId,
        "client-request-id": clientRequestId,
      },
    },
  };
}

export const notFound = (id: string) =>
  new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const badRequest = (message: string) => new GraphError(400, "Request_BadRequest", message);

export const unsupportedQuery = (message: string) => new GraphError(400, "Request_UnsupportedQuery", message);

/** Thrown by the token endpoint; rendered as the identity platform's OAuth error body. */
export class AadError extends Error {
  constructor(
    readonly status: 400 | 401 | 429 | 503,
    readonly error: string,
    readonly code: number,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`AADSTS${code}: ${description}`);
  }
}

export function aadErrorBody(err: AadError, correlationId: string) {
  const traceId = randomUUID();
  // "2026-11-29 18:00:00Z": the identity platform's timestamp format.
  const timestamp = `${new Date().toISOString().slice(0, 19).replace("T", " ")}Z`;
  return {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
  };
}
