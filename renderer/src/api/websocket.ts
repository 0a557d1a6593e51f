import type {
  EventName,
  EventOf,
  MethodName,
  ProvisionDeskApi,
  RequestOf,
  ResultOf,
  WireMessage,
} from "../../../shared/ipc/contract";
import type { Result } from "../../../shared/ipc/result";

/** The part of the browser's WebSocket this client uses (so tests can hand it the `ws` package's client). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "close", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}

export type ConnectionState = "connecting" | "open" | "closed";

export interface RendererApi extends ProvisionDeskApi {
  /** Listeners are in place: main may deliver queued events. */
  ready(): void;
  /** Told when the link to main drops and comes back (browser mode); returns the unsubscribe function. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

const OPEN = 1;

const disconnected = (method: string): Result<never> => ({
  ok: false,
  error: {
    code: "DISCONNECTED",
    message:
      "The connection to ProvisionDesk dropped before it answered. It reconnects by itself; check the result, then try again.",
    detail: `method: ${method}`,
  },
});

/**
 * Browser mode's transport: the IPC contract over one WebSocket, reconnecting with capped backoff. A call sent before a
 * drop fails with DISCONNECTED instead of being re-sent (re-sending "Provision now" could start a second cycle).
 */
export function createWebSocketApi(options: {
  url: string;
  connect: (url: string) => SocketLike;
  retryDelayMs?: (attempt: number) => number;
}): RendererApi {
  const retryDelay = options.retryDelayMs ?? ((attempt) => Math.min(5000, 250 * 2 ** attempt));
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const inFlight = new Map<number, { method: string; resolve: (result: Result<unknown>) => void }>();
  let unsent: string[] = [];
  let nextId = 1;
  let attempt = 0;
  let closed = false;
  let socket: SocketLike;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (state: ConnectionState) => connectionListeners.forEach((listener) => listener(state));

  const open = () => {
    setState("connecting");
    socket = options.connect(options.url);
    socket.addEventListener("open", () => {
      attempt = 0;
      const queued = unsent;
      unsent = [];
      queued.forEach((frame) => socket.send(frame));
      setState("open");
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as WireMessage;
      if ("id" in message) {
        inFlight.get(message.id)?.resolve(message.result);
        inFlight.delete(message.id);
      } else {
        listeners.get(message.event)?.forEach((listener) => listener(message.payload as never));
      }
    });
    socket.addEventListener("close", () => {
      for (const [id, call] of inFlight) {
        call.resolve(disconnected(call.method));
        inFlight.delete(id);
      }
      setState("closed");
      if (!closed) retryTimer = setTimeout(open, retryDelay(attempt++));
    });
  };
  open();

  return {
    invoke<M extends MethodName>(method: M, request: RequestOf<M>): Promise<Result<ResultOf<M>>> {
      const id = nextId++;
      const frame = JSON.stringify({ id, method, payload: request });
      return new Promise((resolve) => {
        inFlight.set(id, { method, resolve: resolve as (result: Result<unknown>) => void });
        if (socket.readyState === OPEN) socket.send(frame);
        else unsent.push(frame);
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    ready: () => undefined,
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      socket.close();
    },
  };
}
