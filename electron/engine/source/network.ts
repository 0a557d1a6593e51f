import https from "node:https";
import { AuthError } from "@azure/msal-node";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { toHttpError } from "../http/errors";
import { trustingContext } from "../http/trust";

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * msal's transport on node:https, so a private CA (TLS-inspecting proxy, gateway, emulator) is trusted for the token
 * endpoint without NODE_EXTRA_CA_CERTS. The CA is added to the system roots, not put in their place.
 * Failures are thrown as msal AuthErrors (msal rethrows those unchanged) whose cause is the classified HttpError,
 * so the token provider can tell an untrusted certificate from an unreachable host.
 */
export function createMsalNetworkClient(options: { caPem?: string; timeoutMs?: number } = {}): INetworkModule {
  const agent = new https.Agent({
    keepAlive: true,
    ...(options.caPem && { secureContext: trustingContext(options.caPem) }),
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  function send<T>(
    method: "GET" | "POST",
    url: string,
    req: NetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    const limit = timeout ?? timeoutMs;
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const fail = (err: unknown) => {
        const httpError = toHttpError(err, target, {
          timeoutMs: limit,
          timedOut,
          aborted: false,
          idempotent: method === "GET",
        });
        reject(Object.assign(new AuthError("network_error", "", httpError.message), { cause: httpError }));
      };
      const request = https.request(target, { method, agent, headers: req?.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
          }
          let body: T;
          try {
            body = (text ? JSON.parse(text) : {}) as T;
          } catch {
            // A proxy's HTML error page, typically: say so rather than "invalid token".
            reject(
              new AuthError(
                "invalid_response",
                "",
                `${target.host} answered ${res.statusCode} with non-JSON content (${headers["content-type"] ?? "no content type"}): ${text.slice(0, 200)}`,
              ),
            );
            return;
          }
          resolve({ status: res.statusCode ?? 0, headers, body });
        });
      });
      request.setTimeout(limit, () => {
        timedOut = true;
        request.destroy(new Error(`no answer within ${limit} ms`));
      });
      request.on("error", fail);
      request.end(method === "POST" ? (req?.body ?? "") : undefined);
    });
  }

  return {
    sendGetRequestAsync: (url, req, timeout) => send("GET", url, req, timeout),
    sendPostRequestAsync: (url, req) => send("POST", url, req),
  };
}
