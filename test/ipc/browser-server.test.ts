import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startBrowserServer } from "../../electron/server/browser-server";
import type { BrowserServer } from "../../electron/server/browser-server";
import { createWebSocketApi } from "../../renderer/src/api/websocket";
import type { SocketLike } from "../../renderer/src/api/websocket";
import { rawExchange, statusOf, upgradeRequest } from "./raw-http";
import { createRecordingService } from "./recording-service";

let server: BrowserServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function builtRenderer(): string {
  const dir = mkdtempSync(join(tmpdir(), "pd-renderer-"));
  writeFileSync(
    join(dir, "index.html"),
    "<!doctype html><title>ProvisionDesk</title><script type=module src=./app.js></script>",
  );
  writeFileSync(join(dir, "app.js"), "export {};");
  return dir;
}

/** Resolves to the HTTP status a WebSocket upgrade got (101 when accepted). */
const upgradeStatus = (url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(url, options);
    ws.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    ws.on("open", () => (ws.close(), resolve(101)));
    ws.on("error", () => undefined);
  });

describe("browser mode's HTTP side", () => {
  it("answers 401 without the launch token, then serves the app with the token and later by cookie", async () => {
    server = await startBrowserServer({ service: createRecordingService(), staticDir: builtRenderer() });
    const bare = await fetch(`${server.origin}/`);
    expect(bare.status).toBe(401);
    expect(await bare.text()).toMatch(/launch token/);
    expect((await fetch(`${server.origin}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${server.origin}/app.js`)).status).toBe(401);

    const first = await fetch(server.url);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("<title>ProvisionDesk</title>");
    const cookie = first.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const csp = first.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain(`connect-src 'self' ${server.origin.replace("http", "ws")}`);

    const later = await fetch(`${server.origin}/app.js`, { headers: { cookie: cookie.split(";")[0] ?? "" } });
    expect(later.status).toBe(200);
    // A tab opened later by cookie finds the WebSocket token in its own page (other origins cannot read it).
    const page = await (await fetch(`${server.origin}/`, { headers: { cookie: cookie.split(";")[0] ?? "" } })).text();
    expect(page).toContain(`<meta name="provisiondesk-token" content="${server.token}">`);
  });

  it("refuses a foreign Host header (DNS rebinding) even with the token", async () => {
    server = await startBrowserServer({ service: createRecordingService(), staticDir: builtRenderer() });
    const { port } = new URL(server.origin);
    const status = await new Promise<number>((resolve) => {
      void import("node:http").then(({ get }) =>
        get(
          { host: "127.0.0.1", port, path: `/?token=${server?.token}`, headers: { host: `evil.example:${port}` } },
          (response) => resolve(response.statusCode ?? 0),
        ),
      );
    });
    expect(status).toBe(403);
  });

  it("tells the admin how to build the renderer when it is missing", async () => {
    server = await startBrowserServer({
      service: createRecordingService(),
      staticDir: join(tmpdir(), "pd-missing-renderer"),
    });
    const response = await fetch(server.url);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("npm run build:renderer");
  });
});

describe("browser mode's WebSocket guard", () => {
  it("accepts the query or header token and refuses the cookie alone, a missing or wrong token and foreign origins", async () => {
    server = await startBrowserServer({ service: createRecordingService(), staticDir: builtRenderer() });
    const ws = `${server.origin.replace("http", "ws")}/ipc`;
    expect(await upgradeStatus(`${ws}?token=${server.token}`, { origin: server.origin })).toBe(101);
    expect(await upgradeStatus(ws, { headers: { "x-provisiondesk-token": server.token } })).toBe(101);
    expect(await upgradeStatus(ws, { headers: { cookie: `pd_token=${server.token}` }, origin: server.origin })).toBe(
      401,
    );
    expect(await upgradeStatus(ws)).toBe(401);
    expect(await upgradeStatus(`${ws}?token=${server.token.slice(1)}x`)).toBe(401);
    expect(await upgradeStatus(`${ws}?token=${server.token}`, { origin: "http://evil.example" })).toBe(403);
    expect(await upgradeStatus(`${server.origin.replace("http", "ws")}/other?token=${server.token}`)).toBe(404);
  });
});

describe("browser mode against hostile input", () => {
  const portOf = (s: BrowserServer) => Number(new URL(s.origin).port);
  /** A stack trace or a file path in an answer tells an attacker about the machine, and an admin nothing. */
  const leaksInternals = (text: string) =>
    /\bat [\w.<>]+ \(|node_modules|\/work\/|[A-Z]:\\|URIError|TypeError/.test(text);

  it("survives an upgrade to a URL that does not parse (//[) and keeps serving", async () => {
    server = await startBrowserServer({ service: createRecordingService(), staticDir: builtRenderer() });
    const port = portOf(server);
    const answer = await rawExchange(port, upgradeRequest(port, "//["));
    expect(statusOf(answer)).toBe(401);
    expect((await fetch(server.url)).status).toBe(200);
  });

  it("refuses a malformed token cookie on an upgrade and on a page, without a stack or a path", async () => {
    const service = createRecordingService();
    server = await startBrowserServer({ service, staticDir: builtRenderer() });
    const port = portOf(server);
    const upgrade = await rawExchange(port, upgradeRequest(port, "/ipc", ["Cookie: pd_token=%ZZ"]));
    expect(statusOf(upgrade)).toBe(401);
    const page = await fetch(`${server.origin}/`, { headers: { cookie: "pd_token=%ZZ" } });
    expect(page.status).toBe(401);
    const body = await page.text();
    expect(body).toMatch(/launch token/);
    expect(leaksInternals(body)).toBe(false);
    expect((await fetch(server.url)).status).toBe(200);
  });

  it("refuses a WebSocket that presents only the cookie (a page on another port gets it too)", async () => {
    const service = createRecordingService();
    server = await startBrowserServer({ service, staticDir: builtRenderer() });
    const ws = `${server.origin.replace("http", "ws")}/ipc`;
    const answer = await new Promise<string>((resolve) => {
      const intruder = new WebSocket(ws, { headers: { cookie: `pd_token=${server?.token}` } });
      intruder.on("error", () => undefined);
      intruder.on("unexpected-response", (_request, response) => resolve(String(response.statusCode)));
      intruder.on("open", () => {
        intruder.send(JSON.stringify({ id: 1, method: "sync.setPaused", payload: { paused: true } }));
        intruder.on("message", (data) => (intruder.close(), resolve(String(data))));
      });
    });
    expect(answer).toBe("401");
    expect(service.calls).toEqual([]);
  });

  it("answers a request the app cannot serve with a short message, never a stack", async () => {
    server = await startBrowserServer({ service: createRecordingService(), staticDir: builtRenderer() });
    const port = portOf(server);
    for (const target of [`/%E0%A4%A?token=${server.token}`, `/..%2f..%2fetc%2fpasswd?token=${server.token}`]) {
      const answer = await rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      expect(statusOf(answer), target).toBeGreaterThanOrEqual(400);
      expect(leaksInternals(answer), answer).toBe(false);
    }
  });
});

describe("the renderer's WebSocket client", () => {
  it("fails a call cut off by a dropped connection, reconnects, and works again", async () => {
    const service = createRecordingService();
    let release: () => void = () => undefined;
    service.provisionNow = () => new Promise((resolve) => (release = () => resolve(undefined as never)));
    server = await startBrowserServer({ service, staticDir: builtRenderer() });
    const sockets: WebSocket[] = [];
    const states: string[] = [];
    const api = createWebSocketApi({
      url: `${server.origin.replace("http", "ws")}/ipc?token=${server.token}`,
      connect: (url) => {
        const socket = new WebSocket(url).on("error", () => undefined); // a browser's WebSocket reports via "close" too
        sockets.push(socket);
        return socket as unknown as SocketLike;
      },
      retryDelayMs: () => 10,
    });
    expect((await api.invoke("dashboard.get", {})).ok).toBe(true);
    api.onConnection((state) => states.push(state));
    const cut = api.invoke("sync.provisionNow", {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    sockets[0]?.terminate();
    expect(await cut).toMatchObject({ ok: false, error: { code: "DISCONNECTED" } });
    expect((await api.invoke("dashboard.get", {})).ok).toBe(true);
    expect(sockets.length).toBe(2);
    expect(states).toEqual(["closed", "connecting", "open"]);
    release();
    api.close();
  });
});
