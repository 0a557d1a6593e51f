import type { EventName, EventOf } from "../../../shared/ipc/contract";

type Listener<E extends EventName> = (payload: EventOf<E>) => void;

/** The contract's events, typed end to end. A listener that throws is reported, never allowed to break a cycle. */
export function createEventHub(onListenerError: (event: EventName, error: unknown) => void = () => undefined) {
  const listeners = new Map<EventName, Set<Listener<EventName>>>();
  return {
    on<E extends EventName>(event: E, listener: Listener<E>): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as Listener<EventName>);
      return () => void set.delete(listener as Listener<EventName>);
    },
    emit<E extends EventName>(event: E, payload: EventOf<E>): void {
      for (const listener of listeners.get(event) ?? []) {
        try {
          listener(payload);
        } catch (error) {
          onListenerError(event, error);
        }
      }
    },
  };
}
export type EventHub = ReturnType<typeof createEventHub>;
