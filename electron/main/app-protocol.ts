import { readFile } from "node:fs/promises";
import { extname, relative, resolve, sep } from "node:path";
import type { Protocol } from "electron";
import { APP_HOST, APP_SCHEME } from "./channels";
import { ELECTRON_CSP } from "./csp";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/** Maps an app:// URL to a file inside the renderer build, or null when it points anywhere else (traversal, other host). */
export function resolveAppFile(url: string, rootDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  const root = resolve(rootDir);
  const file = resolve(root, `.${decodeURIComponent(parsed.pathname === "/" ? "/index.html" : parsed.pathname)}`);
  const inside = relative(root, file);
  return inside && !inside.startsWith("..") && !inside.startsWith(sep) ? file : null;
}

/** Serves the renderer build on app://provisiondesk/ with the CSP on every response. */
export function serveRenderer(protocol: Protocol, rootDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rootDir);
    if (!file) return new Response("Not found", { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          "Content-Type": MIME[extname(file)] ?? "application/octet-stream",
          "Content-Security-Policy": ELECTRON_CSP,
        },
      });
    } catch {
      return new Response("Not found", { status: 404 });
    }
  });
}
