import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startBrowserServer } from "../../electron/server/browser-server";
import type { BrowserServer } from "../../electron/server/browser-server";
import { createWebSocketApi } from "../../renderer/src/api/websocket";
import type { SocketLike } from "../../renderer/src/api/websocket";
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
  it("accepts the token (query or cookie) and refuses a missing or wrong token and foreign origins before the upgrade", async () => {
    server = await startBrowserServer({ service: createRecordingService(), staticDir: builtRenderer() });
    const ws = `${server.origin.replace("http", "ws")}/ipc`;
    expect(await upgradeStatus(`${ws}?token=${server.token}`, { origin: server.origin })).toBe(101);
    expect(await upgradeStatus(ws, { headers: { cookie: `pd_token=${server.token}` }, origin: server.origin })).toBe(
      101,
    );
    expect(await upgradeStatus(ws)).toBe(401);
    expect(await upgradeStatus(`${ws}?token=${server.token.slice(1)}x`)).toBe(401);
    expect(await upgradeStatus(`${ws}?token=${server.token}`, { origin: "http://evil.example" })).toBe(403);
    expect(await upgradeStatus(`${server.origin.replace("http", "ws")}/other?token=${server.token}`)).toBe(404);
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
