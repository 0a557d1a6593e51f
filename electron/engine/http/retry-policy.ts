/**
 * When to try again and how long to wait. Written here rather than with undici's RetryAgent because we need
 * fractional Retry-After ("2.128"), full jitter, an injectable sleep, retry counts, and retrying timed-out requests.
 */

/** Retry-After longer than this is treated as this: the engine should not freeze for hours on one header. */
const MAX_RETRY_AFTER_MS = 15 * 60_000;

/** Retry-After as milliseconds: delta-seconds (fractional allowed, as Graph sends) or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    // An HTTP date always has a weekday or month name; this keeps "-5" from parsing as the year -5.
    const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(0, Math.ceil(ms)), MAX_RETRY_AFTER_MS);
}

/** Capped exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(retry-1))]. */
export function backoffDelay(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** Methods whose repetition is harmless when we cannot tell whether the first attempt arrived. */
export function defaultIdempotent(method: string): boolean {
  return ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"].includes(method.toUpperCase());
}
