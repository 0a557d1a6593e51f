import { afterEach } from "vitest";
import { startServer, type Handler, type LocalServer } from "./local-server";

/** What a test opens (local servers, HTTP clients), closed after each test. */
export function closedAfterEach() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
  });
  return {
    /** Registers a close to run once the test ends. */
    add: (close: () => Promise<void>) => void cleanups.push(close),
    /** A local HTTP server answering with `handler`, closed once the test ends. */
    server: async (handler: Handler): Promise<LocalServer> => {
      const s = await startServer(handler);
      cleanups.push(() => s.close());
      return s;
    },
  };
}
