export { createHttpClient } from "./client";
export { HttpError } from "./errors";
export type { HttpErrorKind } from "./errors";
export { parseRetryAfter } from "./retry-policy";
export { isLoopbackHost } from "./url-policy";
export type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse, HttpStats, RetryEvent } from "./types";
export { requestIds, type RequestTrace, type TracedRequest } from "./request-trace";
