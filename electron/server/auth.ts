import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Browser mode's per-launch secret: whoever holds it is "our renderer". */
export const TOKEN_COOKIE = "pd_token";
export const TOKEN_HEADER = "x-provisiondesk-token";

/** base64url: safe in a URL, a cookie and a header as it is, so nothing presented is ever decoded. */
export const newLaunchToken = (): string => randomBytes(32).toString("base64url");

/** The request target as path and raw query, by plain string operations that cannot throw. */
function splitTarget(raw: string): { path: string; query: string } {
  const mark = raw.indexOf("?");
  return mark === -1 ? { path: raw, query: "" } : { path: raw.slice(0, mark), query: raw.slice(mark + 1) };
}

/** Only the origin form ("/path?query") is a request for this server; "//[", "*" or "http://…" are not. */
const isOriginForm = (path: string) => path.startsWith("/") && !path.startsWith("//");

/** Raw values of `name` in a query string or a Cookie header, compared as they are (no percent-decoding to fail). */
function rawValues(pairs: string[], name: string): string[] {
  return pairs.flatMap((pair) => {
    const eq = pair.indexOf("=");
    return eq > 0 && pair.slice(0, eq).trim() === name ? [pair.slice(eq + 1).trim()] : [];
  });
}

function headerToken(request: IncomingMessage): string | undefined {
  const header = request.headers[TOKEN_HEADER];
  if (typeof header === "string") return header;
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
}

export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Loopback names the server answers to. Checking Host defeats DNS rebinding (a web page whose name resolves to
 * 127.0.0.1 would send its own Host); checking Origin defeats other pages calling us from a browser.
 */
export const ownOrigins = (port: number): string[] => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];

export function hostIsOwn(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  return host !== undefined && ownOrigins(port).includes(`http://${host}`);
}

/** Browsers send Origin on WebSocket upgrades and cross-origin requests; scripts holding the token may omit it. */
export function originIsOwn(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin;
  return origin === undefined || ownOrigins(port).includes(origin);
}

export type Verdict =
  | { ok: true; path: string; via: "query" | "header" | "cookie" }
  | { ok: false; status: 400 | 401 | 403; reason: string };

/**
 * The gate in front of every request and upgrade, run before anything parses the request: Host, Origin, the launch
 * token, then the request target's form. The cookie counts only where `allowCookie` (page loads): cookies are
 * not separated by port, so any page served from 127.0.0.1 sends ours too; a WebSocket needs the query or header token,
 * which only our own page has.
 */
export function checkRequest(
  request: IncomingMessage,
  options: { port: number; token: string; allowCookie: boolean },
): Verdict {
  if (!hostIsOwn(request, options.port) || !originIsOwn(request, options.port))
    return { ok: false, status: 403, reason: "Forbidden" };
  const target = splitTarget(request.url ?? "");
  const presented: { token: string; via: "query" | "header" | "cookie" }[] = [
    ...rawValues(target.query.split("&"), "token").map((token) => ({ token, via: "query" as const })),
    ...[headerToken(request)].flatMap((token) => (token === undefined ? [] : [{ token, via: "header" as const }])),
    ...(options.allowCookie
      ? rawValues((request.headers.cookie ?? "").split(";"), TOKEN_COOKIE).map((token) => ({
          token,
          via: "cookie" as const,
        }))
      : []),
  ];
  const match = presented.find((candidate) => tokenMatches(options.token, candidate.token));
  if (!match) return { ok: false, status: 401, reason: "Unauthorized" };
  if (!isOriginForm(target.path)) return { ok: false, status: 400, reason: "Bad Request" };
  return { ok: true, path: target.path, via: match.via };
}

export const tokenCookie = (token: string): string => `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
