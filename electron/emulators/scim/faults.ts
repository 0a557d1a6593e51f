import type { RequestHandler, Response } from "express";
import { setTimeout as sleep } from "node:timers/promises";
import { errorBody } from "./errors";
import type { ScimFaults } from "./types";

export const NO_FAULTS: ScimFaults = {
  throttleNext: 0,
  throttleRate: 0,
  retryAfterSeconds: 1,
  errorNext: 0,
  errorStatus: 503,
  latencyMs: 0,
  dropNext: 0,
  rateLimitPerSecond: 0,
  rateLimitBurst: 0,
};

function tooMany(res: Response, retryAfterSeconds: number, detail: string): void {
  res.setHeader("Retry-After", String(Math.max(0, Math.ceil(retryAfterSeconds))));
  res.status(429).send(errorBody(429, undefined, detail));
}

/** Misbehaviour a real SCIM service shows under load, switchable at runtime so clients' retry logic can be tested. */
export class FaultInjector {
  private current: ScimFaults = { ...NO_FAULTS };
  private throttleCarry = 0;
  private tokens = 0;
  private refilledAt = 0;

  get faults(): Readonly<ScimFaults> {
    return this.current;
  }

  set(given: Partial<ScimFaults>): void {
    const partial = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<ScimFaults>;
    for (const [k, v] of Object.entries(partial)) {
      if (k !== "errorStatus" && (typeof v !== "number" || !(v >= 0)))
        throw new RangeError(`Fault '${k}' must be a number >= 0`);
    }
    if (partial.errorStatus !== undefined && partial.errorStatus !== 500 && partial.errorStatus !== 503) {
      throw new RangeError("Fault 'errorStatus' must be 500 or 503");
    }
    this.current = { ...this.current, ...partial };
    if (partial.rateLimitPerSecond !== undefined || partial.rateLimitBurst !== undefined) {
      this.tokens = this.capacity();
      this.refilledAt = performance.now();
    }
  }

  reset(): void {
    this.current = { ...NO_FAULTS };
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

  readonly middleware: RequestHandler = async (req, res, next) => {
    const f = this.current;
    if (f.latencyMs > 0) await sleep(f.latencyMs);
    if (f.dropNext > 0) {
      f.dropNext--;
      req.socket.destroy();
      return;
    }
    const wait = this.takeToken();
    if (wait > 0)
      return tooMany(res, wait, `Rate limit of ${f.rateLimitPerSecond} requests per second exceeded; retry later`);
    if (f.throttleNext > 0) {
      f.throttleNext--;
      return tooMany(res, f.retryAfterSeconds, "Too many requests; retry after the Retry-After delay");
    }
    if (f.throttleRate > 0) {
      // Deterministic spread: every 1/rate-th request is throttled, so tests do not depend on randomness.
      this.throttleCarry += Math.min(f.throttleRate, 1);
      if (this.throttleCarry >= 1) {
        this.throttleCarry -= 1;
        return tooMany(res, f.retryAfterSeconds, "Too many requests; retry after the Retry-After delay");
      }
    }
    if (f.errorNext > 0) {
      f.errorNext--;
      const detail = f.errorStatus === 503 ? "Service temporarily unavailable" : "Internal server error";
      res.status(f.errorStatus).send(errorBody(f.errorStatus, undefined, detail));
      return;
    }
    next();
  };
}
