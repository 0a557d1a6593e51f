import type { Request, RequestHandler, Response } from "express";
import { setTimeout as sleep } from "node:timers/promises";
import { errorBody } from "./errors";
import type { ScimFaults } from "./types";

export const NO_FAULTS: ScimFaults = {
  match: "",
  throttleNext: 0,
  throttleRate: 0,
  retryAfterSeconds: 1,
  errorNext: 0,
  errorStatus: 503,
  errorAfterApply: false,
  latencyMs: 0,
  dropNext: 0,
  dropAfterApplyNext: 0,
  hangNext: 0,
  malformedNext: 0,
  htmlNext: 0,
  omitIdsNext: 0,
  ignoreFilterNext: 0,
  rateLimitPerSecond: 0,
  rateLimitBurst: 0,
};

const ERROR_STATUSES = new Set([500, 502, 503, 504]);
const ERROR_DETAIL: Record<number, string> = {
  500: "Internal server error",
  502: "Bad gateway: the upstream service did not answer properly",
  503: "Service temporarily unavailable",
  504: "Gateway timeout: the upstream service did not answer in time",
};

/** What a proxy or single sign-on gateway in front of the app answers instead of the app. */
const SIGN_IN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method="post" action="/login">' +
  "<h1>Sign in to continue</h1></form></body></html>";

function tooMany(res: Response, retryAfterSeconds: number | null, detail: string): void {
  if (retryAfterSeconds !== null) res.setHeader("Retry-After", String(Math.max(0, Math.ceil(retryAfterSeconds))));
  res.status(429).send(errorBody(429, undefined, detail));
}

/**
 * Lets the route apply the request, then hands its answer to `rewrite`: the returned text is sent instead, or the
 * connection is reset when it returns null. This is how failures after the server committed a write look to a client.
 */
function afterApply(req: Request, res: Response, rewrite: (body: string) => string | null): void {
  const end = res.end.bind(res) as (chunk?: unknown, encoding?: BufferEncoding) => Response;
  res.end = ((chunk?: unknown, encoding?: BufferEncoding) => {
    const body = Buffer.isBuffer(chunk) ? chunk.toString("utf8") : typeof chunk === "string" ? chunk : "";
    const out = rewrite(body);
    if (out === null) {
      req.socket.destroy();
      return res;
    }
    if (out === body) return end(chunk, encoding);
    res.setHeader("Content-Length", Buffer.byteLength(out));
    return end(out);
  }) as Response["end"];
}

/** A ListResponse with every resource's id left out; other answers unchanged. */
function withoutIds(body: string): string {
  try {
    const parsed = JSON.parse(body) as { Resources?: Record<string, unknown>[] };
    if (!Array.isArray(parsed.Resources)) return body;
    for (const r of parsed.Resources) delete r.id;
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
}

/** Misbehaviour a real SCIM service shows under load or behind gateways, switchable at runtime to test clients. */
export class FaultInjector {
  private current: ScimFaults = { ...NO_FAULTS };
  private matcher: RegExp | null = null;
  private throttleCarry = 0;
  private tokens = 0;
  private refilledAt = 0;

  get faults(): Readonly<ScimFaults> {
    return this.current;
  }

  set(given: Partial<ScimFaults>): void {
    const partial = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<ScimFaults>;
    for (const [k, v] of Object.entries(partial)) {
      if (k === "match" || k === "errorStatus" || k === "errorAfterApply") continue;
      if (k === "retryAfterSeconds" && v === null) continue;
      if (typeof v !== "number" || !(v >= 0)) throw new RangeError(`Fault '${k}' must be a number >= 0`);
    }
    if (partial.errorStatus !== undefined && !ERROR_STATUSES.has(partial.errorStatus)) {
      throw new RangeError("Fault 'errorStatus' must be 500, 502, 503 or 504");
    }
    if (partial.match !== undefined) this.matcher = partial.match ? new RegExp(partial.match) : null;
    this.current = { ...this.current, ...partial };
    if (partial.rateLimitPerSecond !== undefined || partial.rateLimitBurst !== undefined) {
      this.tokens = this.capacity();
      this.refilledAt = performance.now();
    }
  }

  reset(): void {
    this.current = { ...NO_FAULTS };
    this.matcher = null;
    this.throttleCarry = 0;
  }

  private capacity(): number {
    return this.current.rateLimitBurst || this.current.rateLimitPerSecond;
  }

  /** Token bucket; returns 0 when the request may pass, else the seconds until a token is back. */
  private takeToken(): number {
    const rate = this.current.rateLimitPerSecond;
    if (rate <= 0) return 0;
    const now = performance.now();
    this.tokens = Math.min(this.capacity(), this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / rate));
  }

  /** Consumes one of the next-N counters when it is set. */
  private take(key: keyof ScimFaults): boolean {
    const f = this.current as unknown as Record<string, number>;
    if (!(f[key]! > 0)) return false;
    f[key]!--;
    return true;
  }

  readonly middleware: RequestHandler = async (req, res, next) => {
    const f = this.current;
    const wait = this.takeToken();
    if (wait > 0)
      return tooMany(res, wait, `Rate limit of ${f.rateLimitPerSecond} requests per second exceeded; retry later`);
    const path = req.path;
    if (this.matcher && !this.matcher.test(`${req.method} ${path}`)) return next();
    if (f.latencyMs > 0) await sleep(f.latencyMs);
    if (this.take("dropNext")) return void req.socket.destroy();
    if (this.take("hangNext")) return;
    if (this.take("htmlNext")) return void res.status(200).type("text/html; charset=utf-8").send(SIGN_IN_PAGE);
    if (this.take("throttleNext"))
      return tooMany(res, f.retryAfterSeconds, "Too many requests; retry after the Retry-After delay");
    if (f.throttleRate > 0) {
      // Deterministic spread: every 1/rate-th request is throttled, so tests do not depend on randomness.
      this.throttleCarry += Math.min(f.throttleRate, 1);
      if (this.throttleCarry >= 1) {
        this.throttleCarry -= 1;
        return tooMany(res, f.retryAfterSeconds, "Too many requests; retry after the Retry-After delay");
      }
    }
    if (this.take("errorNext")) {
      const status = f.errorStatus;
      const failed = JSON.stringify(errorBody(status, undefined, ERROR_DETAIL[status]!));
      if (!f.errorAfterApply) return void res.status(status).send(failed);
      afterApply(req, res, () => {
        res.status(status).removeHeader("Location");
        return failed;
      });
    } else if (this.take("dropAfterApplyNext")) afterApply(req, res, () => null);
    else if (this.take("malformedNext")) afterApply(req, res, (body) => body.slice(0, Math.floor(body.length / 2)));
    else if (this.take("omitIdsNext")) afterApply(req, res, withoutIds);
    if (req.method === "GET" && typeof req.query.filter === "string" && this.take("ignoreFilterNext")) {
      const url = new URL(req.url, "http://tenant");
      url.searchParams.delete("filter");
      req.url = url.pathname + url.search;
    }
    next();
  };
}
