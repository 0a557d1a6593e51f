// Test helpers: an HTTPS client that trusts the emulator's certificate, token acquisition,
// and an msal-node network module built on https.request({ ca }).

import { request } from "node:https";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { Agent } from "undici";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  GRAPH_SCOPE,
  type ClientRegistration,
  type GraphEmulator,
} from "../../../electron/emulators/graph";

export interface Http {
  fetch(url: string, init?: RequestInit & { headers?: Record<string, string> }): Promise<Response>;
  token(clientId?: string, secret?: string): Promise<string>;
  /** GET with the default client's token; returns status, parsed JSON body and headers. */
  get(
    pathOrUrl: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
  /** Follows @odata.nextLink until a page has none; returns every page. */
  pages(pathOrUrl: string, headers?: Record<string, string>): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** The default app registration (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) granted `permissions`, then `others`. */
export const defaultClientWith = (permissions: string[], ...others: ClientRegistration[]): ClientRegistration[] => [
  { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, permissions },
  ...others,
];

export function httpFor(emu: GraphEmulator): Http {
  const dispatcher = new Agent({ connect: { ca: emu.caPem } });
  // Node's fetch takes an undici dispatcher; its bundled undici types differ from the undici package's.
  const doFetch = (url: string, init: RequestInit = {}) =>
    fetch(url, { ...init, dispatcher } as unknown as RequestInit);
  let cached: string | undefined;
  const token = async (clientId = DEFAULT_CLIENT_ID, secret = DEFAULT_CLIENT_SECRET): Promise<string> => {
    const res = await doFetch(emu.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: secret,
        scope: GRAPH_SCOPE,
      }).toString(),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  };
  const get = async (pathOrUrl: string, headers: Record<string, string> = {}) => {
    cached ??= await token();
    const url = pathOrUrl.startsWith("https://") ? pathOrUrl : `${emu.graphBaseUrl}${pathOrUrl}`;
    const res = await doFetch(url, { headers: { authorization: `Bearer ${cached}`, ...headers } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  };
  return {
    fetch: doFetch,
    token,
    get,
    pages: async (pathOrUrl, headers) => {
      const out: Record<string, unknown>[] = [];
      let next: string | undefined = pathOrUrl;
      while (next) {
        const r = await get(next, headers);
        if (r.status !== 200) throw new Error(`GET ${next} -> ${r.status} ${JSON.stringify(r.body)}`);
        out.push(r.body);
        next = r.body["@odata.nextLink"] as string | undefined;
      }
      return out;
    },
    // destroy, not close: close waits for every unread response body.
    close: () => dispatcher.destroy(),
  };
}

/** Follows a delta round to its deltaLink; returns all values in order and the deltaLink. */
export async function deltaRound(http: Http, start: string, headers?: Record<string, string>) {
  const pages: Record<string, unknown>[] = [];
  let next: string | undefined = start;
  let deltaLink: string | undefined;
  while (next) {
    const r = await http.get(next, headers);
    if (r.status !== 200) throw new Error(`GET ${next} -> ${r.status} ${JSON.stringify(r.body)}`);
    pages.push(r.body);
    next = r.body["@odata.nextLink"] as string | undefined;
    deltaLink = r.body["@odata.deltaLink"] as string | undefined;
  }
  const values = pages.flatMap((p) => p.value as Record<string, unknown>[]);
  return { pages, values, deltaLink: deltaLink as string };
}

/** msal-node network module trusting a private CA (the emulator's self-signed certificate). */
export function caNetworkModule(ca: string): INetworkModule {
  const send = <T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const req = request(url, { method, ca, headers: options?.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ headers, status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as T });
        });
      });
      req.on("error", reject);
      if (options?.body) req.write(options.body);
      req.end();
    });
  return {
    sendGetRequestAsync: (url, options) => send("GET", url, options),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
  };
}
