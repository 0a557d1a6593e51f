import { WebSocket } from "ws";
import { createWebSocketApi } from "../../renderer/src/api/websocket";
import type { SocketLike } from "../../renderer/src/api/websocket";
import { startBrowserServer } from "../../electron/server/browser-server";
import { contractSuite } from "./contract-suite";
import { createRecordingService } from "./recording-service";

/** The renderer's own WebSocket client against browser mode's real server, on 127.0.0.1. */
contractSuite("browser mode's WebSocket", async () => {
  const service = createRecordingService();
  const server = await startBrowserServer({ service, staticDir: "test/ipc/no-such-dir" });
  const wsUrl = `${server.origin.replace("http", "ws")}/ipc`;
  const api = createWebSocketApi({
    url: `${wsUrl}?token=${server.token}`,
    connect: (url) => new WebSocket(url).on("error", () => undefined) as unknown as SocketLike,
  });
  return {
    api,
    service,
    untrustedAttempt: () =>
      new Promise<string>((resolve) => {
        const intruder = new WebSocket(wsUrl).on("error", () => undefined);
        intruder.on("unexpected-response", (_request, response) => resolve(String(response.statusCode)));
        intruder.on("open", () => {
          intruder.send(JSON.stringify({ id: 1, method: "sync.provisionNow", payload: {} }));
          intruder.on("message", (data) => resolve(String(data)));
        });
      }),
    close: async () => {
      api.close();
      await server.close();
    },
  };
});
