import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { join, resolve } from "node:path";
import express from "express";
import type { NextFunction, Request, Response } from "express";
import type { EngineService } from "../app/engine-port";
import { buildCsp } from "../app/csp";
import { checkRequest, newLaunchToken, tokenCookie } from "./auth";
import { createWsTransport } from "./ws-transport";

export interface BrowserServerOptions {
  service: EngineService;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only: browser mode is for the admin on this machine. */
  host?: "127.0.0.1";
  /** The Vite build output. */
  staticDir?: string;
  onInternalError?: (method: string, error: unknown) => void;
}

export interface BrowserServer {
  /** Open this in a browser: it carries the launch token. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ProvisionDesk</title></head>
<body><h1>The ProvisionDesk interface is not built yet</h1>
<p>Browser mode serves the built renderer from <code>dist/renderer</code>, which is missing.</p>
<p>Run <code>npm run build:renderer</code> (or <code>npx vite build</code>) in the project folder, then reload this page.</p></body></html>`;

const UNAUTHORIZED_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ProvisionDesk</title></head>
<body><h1>This link is missing its launch token</h1>
<p>Browser mode only answers the link it printed when it started (it ends in <code>?token=…</code>), so other pages and
programs on this computer cannot use it. Open that link, or restart browser mode to get a new one.</p></body></html>`;

const BAD_REQUEST = "Bad request.";
const SERVER_ERROR = "ProvisionDesk could not answer this request. The app log has the detail.";

/** The page gets the WebSocket token from its own HTML; other origins cannot read it, unlike the port-blind cookie. */
export const TOKEN_META = "provisiondesk-token";
function withTokenMeta(html: string, token: string): string {
  const meta = `<meta name="${TOKEN_META}" content="${token}">`;
  // In <head> when the page has one; otherwise right after the doctype, which HTML parsers also place in the head.
  const head = /<head(\s[^>]*)?>/i.exec(html) ?? /^\s*(<!doctype[^>]*>)?/i.exec(html);
  const at = head ? head.index + head[0].length : 0;
  return `${html.slice(0, at)}${meta}${html.slice(at)}`;
}

/**
 * Browser mode: the built renderer over HTTP and the IPC contract over a WebSocket at /ipc, both on 127.0.0.1 and
 * both guarded by a random per-launch token (query on first load, then an HttpOnly SameSite=Strict cookie for pages;
 * always the query or header token for the WebSocket). The gate runs before anything parses the request, and no
 * input can throw out of a handler: errors become short answers without a stack.
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const staticDir = resolve(options.staticDir ?? "dist/renderer");
  const host = options.host ?? "127.0.0.1";
  const token = newLaunchToken();
  const internalError = (where: string, error: unknown) => options.onInternalError?.(where, error);
  let port = 0;
  let csp = "";
  const app = express();
  app.disable("x-powered-by");
  app.use(express.static(staticDir, { index: false, dotfiles: "ignore" }));
  app.use((request: Request, response: Response) => {
    const built = existsSync(join(staticDir, "index.html"));
    if (!built && request.method === "GET") return void response.status(503).type("html").send(NOT_BUILT_PAGE);
    response.status(404).type("text").send("Not found.");
  });
  // Express needs all four parameters to recognise an error handler.
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === "number" && status >= 400 && status < 500)
      return void response.status(status).type("text").send(BAD_REQUEST);
    internalError("http", error);
    response.status(500).type("text").send(SERVER_ERROR);
  });

  async function sendIndex(response: ServerResponse, head: boolean): Promise<void> {
    let html: string;
    try {
      html = await readFile(join(staticDir, "index.html"), "utf8");
    } catch {
      return void response.writeHead(503, { "Content-Type": "text/html; charset=utf-8" }).end(NOT_BUILT_PAGE);
    }
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(head ? undefined : withTokenMeta(html, token));
  }

  function serve(request: IncomingMessage, response: ServerResponse): void {
    for (const [name, value] of Object.entries({
      "Content-Security-Policy": csp,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Cache-Control": "no-store",
    }))
      response.setHeader(name, value);
    const verdict = checkRequest(request, { port, token, allowCookie: true });
    if (!verdict.ok) {
      const page = verdict.status === 401 ? UNAUTHORIZED_PAGE : `${verdict.reason}.`;
      const type = verdict.status === 401 ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
      return void response.writeHead(verdict.status, { "Content-Type": type }).end(page);
    }
    if (verdict.via === "query") response.setHeader("Set-Cookie", tokenCookie(token));
    const isGet = request.method === "GET" || request.method === "HEAD";
    if (isGet && (verdict.path === "/" || verdict.path === "/index.html"))
      return void sendIndex(response, request.method === "HEAD").catch((error: unknown) => fail(response, error));
    app(request, response);
  }

  function fail(response: ServerResponse, error: unknown): void {
    internalError("http", error);
    if (response.headersSent) return void response.destroy();
    response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end(SERVER_ERROR);
  }

  const server = createServer((request, response) => {
    try {
      serve(request, response);
    } catch (error) {
      fail(response, error);
    }
  });
  await new Promise<void>((done, failed) => {
    server.once("error", failed);
    server.listen(options.port ?? 0, host, () => done());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;
  csp = buildCsp({ webSocketOrigin: `ws://${host}:${port}` });

  const transport = createWsTransport({
    token,
    port,
    service: options.service,
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    transport.handleUpgrade(request, socket, head),
  );

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: async () => {
      transport.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
