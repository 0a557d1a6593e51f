/** Public shapes of the engine's HTTP layer (shared by the Graph reader and the SCIM client). */
import type { RequestTrace } from "./request-trace";

export interface HttpClientOptions {
  /** PEM of a private CA, trusted in addition to the system roots (proxies, on-premises gateways, emulators). */
  caPem?: string;
  /** Per attempt: how long to wait for the answer's headers, and then for each part of its body. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 5. */
  maxRetries?: number;
  /** Backoff base when the server gives no Retry-After. Default 1 000. */
  baseDelayMs?: number;
  /** Backoff cap. Default 60 000. */
  maxDelayMs?: number;
  /** Requests started per second (attempts, retries included). Unlimited when absent. */
  requestsPerSecond?: number;
  /** Requests in flight at once. Unlimited when absent. */
  concurrency?: number;
  /** Statuses retried with Retry-After or backoff. Default [429, 503, 504]. */
  retryOn?: number[];
  /** Allow plain http:// to this computer (localhost, 127.0.0.0/8, ::1). Default true. */
  allowInsecureLoopback?: boolean;
  userAgent?: string;
  /** Injected wait between retries (tests record delays instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** Told before each retry, for logs ("throttled, waiting 2.1 s"). */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  method: string;
  url: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** The status that caused the retry, or the error code of a network failure. */
  reason: number | string;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON; content-type application/json unless the caller sets one. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /**
   * Whether re-sending after a network failure or timeout is harmless. Default true for GET, HEAD, PUT, DELETE,
   * PATCH and OPTIONS, false for POST: a POST that timed out may have been applied, so the caller gets an HttpError
   * with mayHaveBeenApplied and decides (the engine looks the object up before re-sending).
   */
  idempotent?: boolean;
  /** Cancels the request and any pending retry. */
  signal?: AbortSignal;
  /** Collects this request's ids with the other requests of the same object (request-trace.ts). */
  trace?: RequestTrace;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON when the content type is JSON (incl. application/scim+json), else text; undefined when empty. */
  body: unknown;
  /** From request-id, x-ms-request-id or x-request-id: quote it in logs and support tickets. */
  requestId?: string;
  /** The client-request-id header this request was sent with (generated unless the caller set one). */
  clientRequestId: string;
}

export interface HttpStats {
  /** Attempts sent, retries included. */
  requests: number;
  retries: number;
  /** Responses where the server asked us to slow down (429, or a retried status carrying Retry-After). */
  throttled: number;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  readonly stats: Readonly<HttpStats>;
  close(): Promise<void>;
}
