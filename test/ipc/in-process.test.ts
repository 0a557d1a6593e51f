import type { EventName, ProvisionDeskApi } from "../../shared/ipc/contract";
import { createDispatcher } from "../../electron/app/dispatcher";
import { createEventGate, forwardEvents } from "../../electron/app/events";
import { createHandlers } from "../../electron/app/handlers";
import { contractSuite } from "./contract-suite";
import { createRecordingService } from "./recording-service";

/** The dispatcher and event forwarding exactly as main wires them, with the transport itself taken out. */
contractSuite("the in-process dispatcher", async () => {
  const service = createRecordingService();
  const ourWindow = { id: "our renderer" };
  const dispatch = createDispatcher(createHandlers(service), { isTrustedSender: (sender) => sender === ourWindow });
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const gate = createEventGate((event, payload) =>
    listeners.get(event)?.forEach((listener) => listener(payload as never)),
  );
  const stop = forwardEvents(service, gate.sink);
  gate.ready();
  const api: ProvisionDeskApi = {
    invoke: (method, request) => dispatch(method, request, ourWindow) as never,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
  return {
    api,
    service,
    untrustedAttempt: async () => {
      const result = await dispatch("sync.provisionNow", {}, { id: "some other frame" });
      return result.ok ? "accepted" : result.error.code;
    },
    close: async () => stop(),
  };
});
