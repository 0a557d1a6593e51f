/** One request as support needs it: the id ProvisionDesk sent and the id the server answered with. */
export interface TracedRequest {
  clientRequestId: string;
  requestId?: string;
  host: string;
}

/**
 * The requests sent for one piece of work (one object), collected by passing the same array as each request's
 * `trace`, so the log entry written for that object quotes exactly its request ids, however many objects are in
 * flight. Passed explicitly rather than found through AsyncLocalStorage, whose promise hooks cost every promise of
 * the process about a tenth of a cycle's CPU.
 */
export type RequestTrace = TracedRequest[];

/** The traced requests as labelled ids for a log entry. */
export function requestIds(trace: readonly TracedRequest[]): string[] {
  return trace.flatMap((r) => [
    `client-request-id ${r.clientRequestId}`,
    ...(r.requestId ? [`request-id ${r.requestId} (${r.host})`] : []),
  ]);
}
