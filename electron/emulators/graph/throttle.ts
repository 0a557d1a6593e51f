// Throttling on demand: tests and the demo switch on 429/503/504 answers to check that
// clients honour Retry-After (possibly fractional) and back off.

import type { Prng } from "./prng";
import type { ThrottleRule } from "./types";

export interface ThrottleDecision {
  status: 429 | 503 | 504;
  retryAfter: string | null;
}

const GRAPH_PATHS = /^\/v1\.0\//;

export class Throttle {
  private rule: ThrottleRule | null = null;
  private remaining = Infinity;

  constructor(private readonly prng: Prng) {}

  set(rule: ThrottleRule | null): void {
    this.rule = rule;
    this.remaining = rule?.count ?? Infinity;
  }

  /** Decides for one request; consumes the rule's count when it fires. */
  check(pathAndQuery: string): ThrottleDecision | null {
    const rule = this.rule;
    if (!rule || this.remaining <= 0) return null;
    const pattern =
      rule.path === undefined ? GRAPH_PATHS : typeof rule.path === "string" ? new RegExp(rule.path) : rule.path;
    if (!pattern.test(pathAndQuery)) return null;
    if (rule.fraction !== undefined && !this.prng.chance(rule.fraction)) return null;
    this.remaining--;
    if (this.remaining <= 0) this.rule = null;
    return { status: rule.status ?? 429, retryAfter: rule.retryAfter === undefined ? "0.2" : rule.retryAfter };
  }
}
