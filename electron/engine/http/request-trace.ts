import { AsyncLocalStorage } from "node:async_hooks";

/** One request as support needs it: the id ProvisionDesk sent and the id the server answered with. */
export interface TracedRequest {
  clientRequestId: string;
  requestId?: string;
  host: string;
}

const traces = new AsyncLocalStorage<TracedRequest[]>();

/**
 * Runs `work` collecting every request it sends (however deeply, and concurrently with other traced work), so the
 * log entry written for one object can quote exactly that object's request ids.
 */
export function traceRequests<T>(work: () => Promise<T>): Promise<T> {
  return traces.run([], work);
}

/** Called by the HTTP client for each request; outside traceRequests it does nothing. */
export function recordRequest(request: TracedRequest): void {
  traces.getStore()?.push(request);
}

/** The requests sent so far in the current trace, as labelled ids for a log entry. */
export function tracedRequestIds(): string[] {
  return (traces.getStore() ?? []).flatMap((r) => [
    `client-request-id ${r.clientRequestId}`,
    ...(r.requestId ? [`request-id ${r.requestId} (${r.host})`] : []),
  ]);
}
