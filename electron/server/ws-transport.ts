import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import type { WireMessage } from "../../shared/ipc/contract";
import { createDispatcher } from "../app/dispatcher";
import type { EngineService } from "../app/engine-port";
import { forwardEvents } from "../app/events";
import { createHandlers } from "../app/handlers";
import { hostIsOwn, originIsOwn, presentedToken, tokenMatches } from "./auth";

export const IPC_PATH = "/ipc";

export interface WsTransport {
  /** Takes over `upgrade` events of the HTTP server. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

function refuse(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Carries the IPC contract over a WebSocket: `{id, method, payload}` in, `{id, result}` and `{event, payload}` out. */
export function createWsTransport(options: {
  token: string;
  port: number;
  service: EngineService;
  onInternalError?: (method: string, error: unknown) => void;
}): WsTransport {
  // The dispatcher's trusted senders: the connections that passed the token check.
  const authenticated = new WeakSet<object>();
  const dispatch = createDispatcher(createHandlers(options.service), {
    isTrustedSender: (sender) => typeof sender === "object" && sender !== null && authenticated.has(sender),
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const send = (ws: WebSocket, message: WireMessage) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  };

  wss.on("connection", (ws: WebSocket) => {
    authenticated.add(ws);
    const unsubscribe = forwardEvents(options.service, (event, payload) => send(ws, { event, payload }));
    ws.on("close", unsubscribe);
    ws.on("message", (data) => {
      let call: { id?: unknown; method?: unknown; payload?: unknown };
      try {
        call = JSON.parse(String(data)) as typeof call;
      } catch {
        return ws.close(1003, "frames must be JSON");
      }
      if (typeof call?.id !== "number") return ws.close(1003, "frames need a numeric id");
      const id = call.id;
      void dispatch(call.method, call.payload, ws).then((result) => send(ws, { id, result }));
    });
  });

  return {
    handleUpgrade(request, socket, head) {
      const { port } = options;
      if (new URL(request.url ?? "/", "http://localhost").pathname !== IPC_PATH)
        return refuse(socket, 404, "Not Found");
      if (!hostIsOwn(request, port) || !originIsOwn(request, port)) return refuse(socket, 403, "Forbidden");
      if (!tokenMatches(options.token, presentedToken(request)?.token)) return refuse(socket, 401, "Unauthorized");
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
    },
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
