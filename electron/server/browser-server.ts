import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import express from "express";
import type { NextFunction, Request, Response } from "express";
import type { EngineService } from "../app/engine-port";
import { buildCsp } from "../app/csp";
import { hostIsOwn, newLaunchToken, presentedToken, tokenCookie, tokenMatches } from "./auth";
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

/**
 * Browser mode: the built renderer over HTTP and the IPC contract over a WebSocket at /ipc, both on 127.0.0.1 and
 * both guarded by a random per-launch token (query on first load, then an HttpOnly SameSite=Strict cookie).
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const staticDir = resolve(options.staticDir ?? "dist/renderer");
  const host = options.host ?? "127.0.0.1";
  const token = newLaunchToken();
  const app = express();
  app.disable("x-powered-by");
  const server = createServer(app);
  await new Promise<void>((done, failed) => {
    server.once("error", failed);
    server.listen(options.port ?? 0, host, () => done());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  const csp = buildCsp({ webSocketOrigin: `ws://${host}:${port}` });

  app.use((request: Request, response: Response, next: NextFunction) => {
    response.set({
      "Content-Security-Policy": csp,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cache-Control": "no-store",
    });
    if (!hostIsOwn(request, port))
      return void response.status(403).type("text").send("Forbidden: unexpected Host header.");
    const presented = presentedToken(request);
    if (!tokenMatches(token, presented?.token)) return void response.status(401).type("html").send(UNAUTHORIZED_PAGE);
    if (presented?.via === "query") response.append("Set-Cookie", tokenCookie(token));
    next();
  });
  app.use(express.static(staticDir, { index: "index.html", dotfiles: "ignore" }));
  app.use((request: Request, response: Response) => {
    const built = existsSync(join(staticDir, "index.html"));
    if (!built && request.method === "GET") return void response.status(503).type("html").send(NOT_BUILT_PAGE);
    response.status(404).type("text").send("Not found.");
  });

  const transport = createWsTransport({
    token,
    port,
    service: options.service,
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  });
  server.on("upgrade", (request, socket, head) => transport.handleUpgrade(request, socket, head));

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
