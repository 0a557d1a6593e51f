// HTTPS front: request ids, recording, throttling, bearer checks and error rendering, then
// dispatch to the route table. Every answer carries request-id and client-request-id.

import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { AadError, GraphError, aadErrorBody, graphErrorBody } from "./errors";
import { matchRoute, queryGetter, type Ctx, type Reply, type Route } from "./router";
import type { Throttle } from "./throttle";
import type { EmulatorCounters, RecordedRequest } from "./types";

export interface ServerDeps {
  routes: readonly Route[];
  /** Resolves a bearer token to its granted permissions, or throws a 401 GraphError. */
  authenticate(authorization: string | undefined): readonly string[];
  throttle: Throttle;
  requests: RecordedRequest[];
  counters: EmulatorCounters;
  /** Token-endpoint paths answer errors in the identity platform's shape, not Graph's. */
  isIdentityPath(path: string): boolean;
}

const JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const MAX_BODY = 1 << 20;

const THROTTLE_CODES = { 429: "TooManyRequests", 503: "serviceNotAvailable", 504: "gatewayTimeout" } as const;
const THROTTLE_MESSAGES = {
  429: "Too many requests. Please retry after the time given in the Retry-After header.",
  503: "Service unavailable. Please retry later.",
  504: "The gateway timed out. Please retry later.",
} as const;

export async function startHttpsServer(
  deps: ServerDeps,
  tls: { key: string; cert: string },
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    void (async () => {
      const pathAndQuery = req.url ?? "/";
      const requestId = randomUUID();
      const clientRequestId =
        headerValue(req.headers["client-request-id"]) ??
        new URL(pathAndQuery, "https://x").searchParams.get("client-request-id") ??
        requestId;
      const record: RecordedRequest = {
        method: req.method ?? "GET",
        path: pathAndQuery,
        status: 0,
        time: new Date().toISOString(),
        requestId,
        clientRequestId,
      };
      deps.requests.push(record);
      const reply = await handle(
        deps,
        req,
        pathAndQuery,
        requestId,
        clientRequestId,
        `https://${req.headers.host ?? "127.0.0.1"}`,
      );
      record.status = reply.status;
      deps.counters.total++;
      deps.counters.byStatus[reply.status] = (deps.counters.byStatus[reply.status] ?? 0) + 1;
      const body = reply.text ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
      res.writeHead(reply.status, {
        "content-type": reply.text === undefined ? JSON_TYPE : "text/plain",
        "request-id": requestId,
        "client-request-id": clientRequestId,
        "cache-control": "no-store",
        ...reply.headers,
      });
      res.end(body);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function handle(
  deps: ServerDeps,
  req: IncomingMessage,
  pathAndQuery: string,
  requestId: string,
  clientRequestId: string,
  baseUrl: string,
): Promise<Reply> {
  const url = new URL(pathAndQuery, baseUrl);
  const identity = deps.isIdentityPath(url.pathname);
  try {
    const throttled = deps.throttle.check(pathAndQuery);
    if (throttled) {
      deps.counters.throttled++;
      const headers: Record<string, string> =
        throttled.retryAfter === null ? {} : { "retry-after": throttled.retryAfter };
      if (identity)
        throw new AadError(
          throttled.status === 429 ? 429 : 503,
          "temporarily_unavailable",
          90033,
          "A transient error has occurred. Please try again.",
          headers,
        );
      throw new GraphError(
        throttled.status,
        THROTTLE_CODES[throttled.status],
        THROTTLE_MESSAGES[throttled.status],
        headers,
      );
    }
    const { route, params } = matchRoute(deps.routes, req.method ?? "GET", url.pathname);
    if (route.permissions) {
      const granted = deps.authenticate(headerValue(req.headers.authorization));
      if (!route.permissions.some((p) => granted.includes(p))) {
        throw new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
      }
    }
    const ctx: Ctx = {
      req,
      url,
      params,
      baseUrl,
      requestId,
      clientRequestId,
      body: await readBody(req),
      query: queryGetter(url),
    };
    return await route.handler(ctx);
  } catch (err) {
    if (err instanceof AadError) {
      return { status: err.status, body: aadErrorBody(err, clientRequestId), headers: err.headers };
    }
    if (err instanceof GraphError) {
      return {
        status: err.status,
        body: graphErrorBody(err.code, err.message, requestId, clientRequestId),
        headers: err.headers,
      };
    }
    const message = err instanceof Error ? err.message : String(err);
    return {
      status: 500,
      body: graphErrorBody("generalException", `Emulator failure: ${message}`, requestId, clientRequestId),
    };
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new GraphError(413, "Request_BadRequest", "Request body too large.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
