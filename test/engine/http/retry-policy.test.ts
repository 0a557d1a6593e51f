import { afterEach, describe, expect, it, vi } from "vitest";
import { isLoopbackHost, parseRetryAfter } from "../../../electron/engine/http";
import { createPacer } from "../../../electron/engine/http/rate-limit";
import { backoffDelay, defaultIdempotent } from "../../../electron/engine/http/retry-policy";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-29T12:00:00Z");
  it.each([
    ["2.128", 2128],
    ["0", 0],
    [" 7 ", 7000],
    ["Sun, 29 Nov 2026 12:00:30 GMT", 30_000],
    ["Sun, 29 Nov 2026 11:59:00 GMT", 0],
    ["86400", 15 * 60_000],
  ])("%s -> %i ms", (value, ms) => expect(parseRetryAfter(value, now)).toBe(ms));
  it.each([undefined, "", "soon", "-5"])("ignores %s", (value) => expect(parseRetryAfter(value, now)).toBeUndefined());
});

describe("backoff and idempotency", () => {
  it("spreads delays over the whole capped window (full jitter)", () => {
    expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(0);
    expect(backoffDelay(3, 1000, 60_000, () => 0.999)).toBe(3996);
    expect(backoffDelay(20, 1000, 60_000, () => 0.5)).toBe(30_000);
  });
  it("treats POST as unsafe to repeat", () => {
    expect(["GET", "put", "DELETE", "PATCH"].every(defaultIdempotent)).toBe(true);
    expect(defaultIdempotent("POST")).toBe(false);
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["localhost", true],
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["[::1]", true],
    ["api.localhost", true],
    ["127.example.com", false],
    ["10.0.0.1", false],
    ["my.splashtop.com", false],
    ["::ffff:10.0.0.1", false],
  ])("%s -> %s", (host, yes) => expect(isLoopbackHost(host)).toBe(yes));
});

describe("createPacer", () => {
  afterEach(() => vi.useRealTimers());
  it("spaces request starts 1/rate apart with no initial burst", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "performance"] });
    const pace = createPacer(10);
    const started: number[] = [];
    const all = Array.from({ length: 4 }, () => pace().then(() => started.push(performance.now())));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    const t0 = started[0] ?? 0;
    expect(started.map((t) => Math.round(t - t0))).toEqual([0, 100, 200, 300]);
  });
});
