import { events } from "../../shared/ipc/contract";
import type { EventName, EventOf } from "../../shared/ipc/contract";
import type { EngineService } from "./engine-port";
import { redactSecrets } from "./redact";

export type EventSink = <E extends EventName>(event: E, payload: EventOf<E>) => void;

const eventNames = Object.keys(events) as EventName[];

/**
 * Subscribes to every contract event of the engine and hands each (checked against its schema, scrubbed of secrets)
 * to `sink`. Returns the function that unsubscribes them all.
 */
export function forwardEvents(
  service: EngineService,
  sink: EventSink,
  onInvalid?: (event: EventName, error: unknown) => void,
): () => void {
  const unsubscribes = eventNames.map((name) =>
    service.on(name, (payload) => {
      const checked = events[name].safeParse(payload);
      if (!checked.success) {
        onInvalid?.(name, checked.error);
        return;
      }
      sink(name, redactSecrets(checked.data) as EventOf<typeof name>);
    }),
  );
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}

export interface EventGate {
  /** A sink that delivers now when the renderer is ready and queues otherwise. */
  sink: EventSink;
  /** The renderer said it has its listeners in place: flush the queue, then deliver directly. */
  ready(): void;
  /** The renderer went away (reload, window closed): queue again until it says it is ready. */
  reset(): void;
}

/**
 * Main queues events until the renderer is listening, so nothing emitted during start-up or a reload is lost.
 * The queue is bounded: a window closed to the tray for days must not grow memory; the oldest entries go first
 * (the renderer re-reads state on ready anyway).
 */
export function createEventGate(deliver: EventSink, maxQueued = 1000): EventGate {
  let isReady = false;
  let queue: { event: EventName; payload: unknown }[] = [];
  return {
    sink: (event, payload) => {
      if (isReady) return deliver(event, payload);
      queue.push({ event, payload });
      if (queue.length > maxQueued) queue.shift();
    },
    ready: () => {
      const pending = queue;
      queue = [];
      isReady = true;
      for (const item of pending) deliver(item.event, item.payload as EventOf<EventName>);
    },
    reset: () => {
      isReady = false;
    },
  };
}
