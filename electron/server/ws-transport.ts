import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import type { WireMessage } from "../../shared/ipc/contract";
import { createDispatcher } from "../app/dispatcher";
import type { EngineService } from "../app/engine-port";
import { forwardEvents } from "../app/events";
import { createHandlers } from "../app/handlers";
import { checkRequest } from "./auth";

export const IPC_PATH = "/ipc";

export interface WsTransport {
  /** Takes over `upgrade` events of the HTTP server. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

function refuse(socket: Duplex, status: 400 | 401 | 403 | 404, reason: string): void {
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

  const internalError = (where: string, error: unknown) => options.onInternalError?.(where, error);

  wss.on("connection", (ws: WebSocket) => {
    authenticated.add(ws);
    const unsubscribe = forwardEvents(options.service, (event, payload) => send(ws, { event, payload }));
    ws.on("close", unsubscribe);
    // A malformed frame (bad opcode, oversized, unmasked) is reported here after ws has closed the connection;
    // without a listener it would be thrown out of the socket's data handler and end the process.
    ws.on("error", () => ws.terminate());
    ws.on("message", (data) => {
      let call: { id?: unknown; method?: unknown; payload?: unknown } | null;
      try {
        call = JSON.parse(String(data)) as typeof call;
      } catch {
        return ws.close(1003, "frames must be JSON");
      }
      if (typeof call?.id !== "number") return ws.close(1003, "frames need a numeric id");
      const id = call.id;
      dispatch(call.method, call.payload, ws)
        .then((result) => send(ws, { id, result }))
        .catch((error: unknown) => internalError("ws", error));
    });
  });

  return {
    handleUpgrade(request, socket, head) {
      // Node hands the socket over without an error listener: a reset while we answer must not end the process.
      socket.on("error", () => socket.destroy());
      try {
        const verdict = checkRequest(request, { port: options.port, token: options.token, allowCookie: false });
        if (!verdict.ok) return refuse(socket, verdict.status, verdict.reason);
        if (verdict.path !== IPC_PATH) return refuse(socket, 404, "Not Found");
        wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
      } catch (error) {
        internalError("upgrade", error);
        socket.destroy();
      }
    },
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
