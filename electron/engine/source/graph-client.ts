import { randomUUID } from "node:crypto";
import type { HttpClient } from "../http";
import { GraphError } from "./errors";
import type { TokenProvider } from "./tokens";

/** A page of a Graph collection: items plus the links that continue it. */
export interface GraphPage<T> {
  value: T[];
  "@odata.nextLink"?: string;
  "@odata.deltaLink"?: string;
}

export interface GraphClient {
  /** GET a path relative to `${graphBaseUrl}/v1.0` (e.g. "/users?$top=1") or an absolute Graph URL (nextLink, deltaLink). */
  get<T>(pathOrUrl: string, headers?: Record<string, string>): Promise<T>;
  /** POST a Graph action (e.g. "/directoryObjects/getAvailableExtensionProperties") with a JSON body. */
  post<T>(path: string, body: unknown): Promise<T>;
  /** Every page of a collection, following @odata.nextLink until it is absent. */
  pages<T>(pathOrUrl: string): AsyncIterable<T[]>;
  /** Graph calls made through this client (the HTTP layer's retries are counted in its own stats). */
  readonly requestCount: number;
}

export interface GraphClientOptions {
  graphBaseUrl: string;
  tokens: TokenProvider;
  http: HttpClient;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = `${options.graphBaseUrl.replace(/\/+$/, "")}/v1.0`;
  const origin = new URL(base).origin;
  let requestCount = 0;

  function resolve(pathOrUrl: string): string {
    if (!/^https?:\/\//i.test(pathOrUrl)) return `${base}${pathOrUrl.startsWith("/") ? "" : "/"}${pathOrUrl}`;
    // Links come from Graph's answers; never send the bearer token anywhere but Graph itself.
    if (new URL(pathOrUrl).origin !== origin)
      throw new Error(`Refusing to follow a link outside ${origin}: ${pathOrUrl}`);
    return pathOrUrl;
  }

  interface Call {
    method: "GET" | "POST";
    url: string;
    headers?: Record<string, string>;
    json?: unknown;
  }

  async function send(call: Call, forceRefresh: boolean) {
    const token = await options.tokens.getToken({ forceRefresh });
    const clientRequestId = randomUUID();
    requestCount++;
    const res = await options.http.request({
      method: call.method,
      url: call.url,
      headers: {
        ...call.headers,
        authorization: `Bearer ${token}`,
        accept: "application/json",
        "client-request-id": clientRequestId,
      },
      ...(call.json === undefined ? {} : { json: call.json, idempotent: true }),
    });
    return { res, clientRequestId };
  }

  async function call<T>(request: Call): Promise<T> {
    const { url } = request;
    let { res, clientRequestId } = await send(request, false);
    // A cached token Graph no longer accepts (revoked, clock skew): fetch a new one once.
    if (res.status === 401) ({ res, clientRequestId } = await send(request, true));
    if (res.status >= 200 && res.status < 300) return res.body as T;
    const envelope = (res.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    throw new GraphError({
      status: res.status,
      code: typeof envelope?.code === "string" ? envelope.code : `HTTP${res.status}`,
      graphMessage:
        typeof envelope?.message === "string"
          ? envelope.message
          : typeof res.body === "string"
            ? res.body.slice(0, 300)
            : "",
      method: request.method,
      path: url.slice(origin.length),
      requestId: res.requestId ?? res.headers["request-id"],
      clientRequestId,
    });
  }

  // async so that a refused link is a rejected promise, like every other failure of a request.
  const get = async <T>(pathOrUrl: string, headers?: Record<string, string>) =>
    call<T>({ method: "GET", url: resolve(pathOrUrl), ...(headers ? { headers } : {}) });

  async function* pages<T>(pathOrUrl: string): AsyncIterable<T[]> {
    let next: string | undefined = pathOrUrl;
    while (next) {
      const page: GraphPage<T> = await get<GraphPage<T>>(next);
      yield page.value ?? [];
      next = page["@odata.nextLink"];
    }
  }

  return {
    get,
    // Graph's read-only actions (getAvailableExtensionProperties) change nothing: re-sending them is harmless.
    post: async <T>(path: string, body: unknown) => call<T>({ method: "POST", url: resolve(path), json: body }),
    pages,
    get requestCount() {
      return requestCount;
    },
  };
}
