// A small path router: routes are regular expressions over the raw (still percent-encoded)
// path, so a UPN like "jane_contoso.com%23EXT%23@..." is matched whole and decoded once.

import type { IncomingMessage } from "node:http";
import { GraphError } from "./errors";

export interface Ctx {
  req: IncomingMessage;
  url: URL;
  /** Decoded capture groups of the matched route. */
  params: string[];
  /** Base URL of the emulator, e.g. "https://127.0.0.1:5555": next and delta links are absolute on it. */
  baseUrl: string;
  requestId: string;
  clientRequestId: string;
  body: string;
  /** Query option by name, with or without "$", case-insensitive ("$deltaToken" == "$deltatoken"). */
  query(name: string): string | undefined;
}

export interface Reply {
  status: number;
  body: unknown;
  /** A plain-text answer instead of JSON (`$count` segments answer a bare number as text/plain). */
  text?: string;
  headers?: Record<string, string>;
}

export interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  /** Any one of these application permissions is enough; null = no bearer token needed. */
  permissions: readonly string[] | null;
  handler: (ctx: Ctx) => Reply | Promise<Reply>;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: string[] } {
  let pathMatched = false;
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    return { route, params: m.slice(1).map((p) => decodeURIComponent(p ?? "")) };
  }
  if (pathMatched)
    throw new GraphError(405, "Request_BadRequest", `The HTTP method '${method}' is not allowed for this resource.`);
  const segment = path.split("/").filter(Boolean).pop() ?? "";
  throw new GraphError(400, "BadRequest", `Resource not found for the segment '${decodeURIComponent(segment)}'.`);
}

export function queryGetter(url: URL): (name: string) => string | undefined {
  const map = new Map<string, string>();
  for (const [k, v] of url.searchParams) map.set(k.replace(/^\$/, "").toLowerCase(), v);
  return (name) => map.get(name.replace(/^\$/, "").toLowerCase());
}

export const ok = (body: unknown, headers?: Record<string, string>): Reply => ({ status: 200, body, headers });
