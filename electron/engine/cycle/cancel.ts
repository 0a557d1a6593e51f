import type { HttpClient } from "../http";

/** The admin cancelled the cycle. Thrown before a phase or an object starts, and for any request not yet sent. */
export class CycleCancelledError extends Error {
  override readonly name = "CycleCancelledError";
  constructor() {
    super("The cycle was cancelled: requests already sent finished, nothing further was sent.");
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CycleCancelledError();
}

/**
 * An HTTP client that sends nothing once `signal` is aborted. Requests already sent are not cut off: their answer
 * is still recorded, so the state database agrees with the target.
 */
export function stopWhenCancelled(http: HttpClient, signal: AbortSignal): HttpClient {
  return {
    request: async (req) => {
      throwIfCancelled(signal);
      return http.request(req);
    },
    get stats() {
      return http.stats;
    },
    close: () => http.close(),
  };
}
