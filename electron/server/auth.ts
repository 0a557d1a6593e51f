import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Browser mode's per-launch secret: whoever holds it is "our renderer". */
export const TOKEN_COOKIE = "pd_token";
export const TOKEN_HEADER = "x-provisiondesk-token";

export const newLaunchToken = (): string => randomBytes(32).toString("base64url");

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

/** The token a request presents, and how: query (first load / WebSocket URL), cookie (later loads) or header (scripts). */
export function presentedToken(
  request: IncomingMessage,
): { token: string; via: "query" | "cookie" | "header" } | undefined {
  const url = new URL(request.url ?? "/", "http://localhost");
  const fromQuery = url.searchParams.get("token");
  if (fromQuery) return { token: fromQuery, via: "query" };
  const fromCookie = cookieValue(request.headers.cookie, TOKEN_COOKIE);
  if (fromCookie) return { token: fromCookie, via: "cookie" };
  const header = request.headers[TOKEN_HEADER];
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  const fromHeader = (typeof header === "string" ? header : undefined) ?? bearer;
  return fromHeader ? { token: fromHeader, via: "header" } : undefined;
}

export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Loopback names the server answers to. Checking Host defeats DNS rebinding (a web page whose name resolves to
 * 127.0.0.1 would send its own Host); checking Origin defeats other local pages opening our WebSocket.
 */
export const ownOrigins = (port: number): string[] => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];

export function hostIsOwn(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  return host !== undefined && ownOrigins(port).includes(`http://${host}`);
}

/** Browsers always send Origin on WebSocket upgrades; scripts that hold the token may omit it. */
export function originIsOwn(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin;
  return origin === undefined || ownOrigins(port).includes(origin);
}

export const tokenCookie = (token: string): string =>
  `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
