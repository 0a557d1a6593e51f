// Wiring shared by the source tests: the real Graph emulator, our HTTP client and the source connection.
import { createHttpClient, type HttpClient } from "../../../electron/engine/http";
import {
  createSourceConnection,
  type GraphClient,
  type SourceConnection,
  type SourceCredential,
} from "../../../electron/engine/source";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type GraphEmulator } from "../../../electron/emulators/graph";

export function customCloud(emu: GraphEmulator) {
  return { authorityHost: emu.authorityHost, graphBaseUrl: emu.graphBaseUrl };
}

/** A connection to the emulator trusting its CA; retries do not sleep so throttling tests stay fast. */
export function connect(
  emu: GraphEmulator,
  options: { clientId?: string; credential?: SourceCredential; http?: HttpClient } = {},
): SourceConnection & { http: HttpClient } {
  const http = options.http ?? createHttpClient({ caPem: emu.caPem, sleep: async () => {} });
  const connection = createSourceConnection({
    tenantId: emu.tenantId,
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    cloud: customCloud(emu),
    credential: options.credential ?? { clientSecret: DEFAULT_CLIENT_SECRET },
    caPem: emu.caPem,
    http,
  });
  return { ...connection, http };
}

/**
 * A GraphClient answering from a script keyed by path or URL, recording what was asked. A path with a list of answers
 * gives them in turn (the last one from then on); an Error answer is thrown.
 */
export function scripted(script: Record<string, unknown>): GraphClient & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    requestCount: 0,
    async get<T>(pathOrUrl: string): Promise<T> {
      asked.push(pathOrUrl);
      const entry = script[pathOrUrl];
      const answer = Array.isArray(entry) ? (entry.length > 1 ? entry.shift() : entry[0]) : entry;
      if (answer instanceof Error) throw answer;
      if (answer === undefined) throw new Error(`unscripted ${pathOrUrl}`);
      return answer as T;
    },
    post: () => Promise.reject(new Error("delta reads never POST")),
    pages: () => {
      throw new Error("not used");
    },
  };
}

export const GRAPH_BASE = "https://graph.test/v1.0";

/**
 * A full users delta round in three pages in which Graph replays two users (u1's later entry disables it, u2's restores
 * it with a name) and reports u3 deleted for good: the merging rules' test data.
 */
export function replayingUsers(): Record<string, unknown> {
  return {
    "/users/delta?$select=displayName,accountEnabled": {
      value: [
        { id: "u1", displayName: "Ann", accountEnabled: true },
        { id: "u2", "@removed": { reason: "changed" } },
      ],
      "@odata.nextLink": `${GRAPH_BASE}/users/delta?$skiptoken=a`,
    },
    [`${GRAPH_BASE}/users/delta?$skiptoken=a`]: {
      value: [],
      "@odata.nextLink": `${GRAPH_BASE}/users/delta?$skiptoken=b`,
    },
    [`${GRAPH_BASE}/users/delta?$skiptoken=b`]: {
      value: [
        { id: "u1", accountEnabled: false },
        { id: "u2", displayName: "Bob" },
        { id: "u3", "@removed": { reason: "deleted" } },
      ],
      "@odata.deltaLink": `${GRAPH_BASE}/users/delta?$deltatoken=d1`,
    },
  };
}
