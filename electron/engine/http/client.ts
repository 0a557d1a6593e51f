import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import pLimit from "p-limit";
import { Agent, request as undiciRequest } from "undici";
import { HttpError, isTransient, toHttpError, wasNotSent } from "./errors";
import { createPacer } from "./rate-limit";
import { backoffDelay, defaultIdempotent, parseRetryAfter } from "./retry-policy";
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse, HttpStats } from "./types";
import { trustingContext } from "./trust";
import { checkUrl } from "./url-policy";

const REQUEST_ID_HEADERS = ["request-id", "x-ms-request-id", "x-request-id"];

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function parseBody(status: number, headers: Record<string, string>, text: string): unknown {
  if (status === 204 || text === "") return undefined;
  if (/[/+]json\b/i.test(headers["content-type"] ?? "")) {
    try {
      return JSON.parse(text);
    } catch {
      return text; // a server that labels an HTML error page as JSON: keep the text for the log
    }
  }
  return text;
}

function encodeBody(req: HttpRequest, headers: Record<string, string>): string | undefined {
  const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
  if (req.json !== undefined) {
    if (!has("content-type")) headers["content-type"] = "application/json";
    return JSON.stringify(req.json);
  }
  if (req.form !== undefined) {
    if (!has("content-type")) headers["content-type"] = "application/x-www-form-urlencoded";
    return new URLSearchParams(req.form).toString();
  }
  return undefined;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const retryOn = options.retryOn ?? [429, 503, 504];
  const allowInsecureLoopback = options.allowInsecureLoopback ?? true;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  // A private CA is trusted in addition to the public roots, so one setting serves a proxy and public hosts alike.
  const agent = new Agent(options.caPem ? { connect: { secureContext: trustingContext(options.caPem) } } : {});
  const limit: <T>(fn: () => Promise<T>) => Promise<T> = options.concurrency
    ? pLimit(options.concurrency)
    : (fn) => fn();
  const pace = createPacer(options.requestsPerSecond);
  const stats: HttpStats = { requests: 0, retries: 0, throttled: 0 };

  async function attempt(
    url: URL,
    req: HttpRequest,
    headers: Record<string, string>,
    body: string | undefined,
    idempotent: boolean,
  ): Promise<HttpResponse> {
    await pace();
    stats.requests++;
    try {
      // undici's own timers, not an AbortSignal.timeout per request: adding and removing its abort listener cost more
      // CPU than the rest of the client. A request times out after timeoutMs without its headers, or without a byte
      // of its body.
      const res = await undiciRequest(url, {
        dispatcher: agent,
        method: req.method.toUpperCase() as "GET",
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(req.signal ? { signal: req.signal } : {}),
      });
      const text = await res.body.text();
      const resHeaders = flattenHeaders(res.headers);
      const requestId = REQUEST_ID_HEADERS.map((h) => resHeaders[h]).find((v) => v);
      return {
        status: res.statusCode,
        headers: resHeaders,
        body: parseBody(res.statusCode, resHeaders, text),
        clientRequestId: headers["client-request-id"]!,
        ...(requestId ? { requestId } : {}),
      };
    } catch (err) {
      throw toHttpError(err, url, {
        timeoutMs,
        timedOut: false,
        aborted: req.signal?.aborted ?? false,
        idempotent,
      });
    }
  }

  async function send(req: HttpRequest): Promise<HttpResponse> {
    const url = checkUrl(req.url, allowInsecureLoopback);
    const idempotent = req.idempotent ?? defaultIdempotent(req.method);
    // One client-request-id per logical request (its retries share it), as Graph asks; a caller may set its own.
    const headers: Record<string, string> = {
      "user-agent": options.userAgent ?? "ProvisionDesk",
      "client-request-id": randomUUID(),
      ...req.headers,
    };
    const body = encodeBody(req, headers);
    const trace = (requestId?: string) =>
      req.trace?.push({
        clientRequestId: headers["client-request-id"]!,
        host: url.host,
        ...(requestId ? { requestId } : {}),
      });

    for (let retry = 1; ; retry++) {
      let wait: number;
      let reason: number | string;
      try {
        const res = await attempt(url, req, headers, body, idempotent);
        const retryAfter = parseRetryAfter(res.headers["retry-after"]);
        const listed = retryOn.includes(res.status);
        if (res.status === 429 || (listed && retryAfter !== undefined)) stats.throttled++;
        // A 504 means a gateway gave up waiting: the server may still have applied a non-idempotent request.
        if (!listed || (res.status === 504 && !idempotent) || retry > maxRetries) {
          trace(res.requestId);
          return res;
        }
        wait = retryAfter ?? backoffDelay(retry, baseDelayMs, maxDelayMs);
        reason = res.status;
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        const retryable = isTransient(err) && (idempotent || wasNotSent(err));
        if (!retryable || retry > maxRetries) {
          trace();
          throw err;
        }
        wait = backoffDelay(retry, baseDelayMs, maxDelayMs);
        reason = err.code ?? err.kind;
      }
      stats.retries++;
      options.onRetry?.({ method: req.method, url: req.url, attempt: retry, delayMs: wait, reason });
      await sleep(wait);
      if (req.signal?.aborted) {
        throw new HttpError({
          kind: "aborted",
          message: `The request to ${url.host} was cancelled.`,
          detail: "aborted while waiting to retry",
        });
      }
    }
  }

  return {
    request: (req) => limit(() => send(req)),
    stats,
    close: () => agent.close(),
  };
}
