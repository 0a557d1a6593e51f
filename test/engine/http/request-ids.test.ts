import { describe, expect, it } from "vitest";
import { createHttpClient, requestIds, type RequestTrace } from "../../../electron/engine/http";
import { closedAfterEach } from "./per-test";

const cleanups = closedAfterEach();
const server = cleanups.server;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("request ids", () => {
  it("sends one client-request-id per request, kept across its retries, and traces it with the server's id", async () => {
    const s = await server((_req, res, i) => {
      if (i === 0) return void res.writeHead(503, { "retry-after": "0" }).end();
      res.writeHead(200, { "request-id": `srv-${i}` }).end();
    });
    const http = createHttpClient({ sleep: async () => undefined });
    cleanups.add(() => http.close());
    const trace: RequestTrace = [];
    const res = await http.request({ method: "GET", url: `${s.url}/Users`, trace });
    const ids = requestIds(trace);
    const sent = s.requests.map((r) => r.headers["client-request-id"]);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(UUID);
    expect(sent[1]).toBe(sent[0]);
    expect(res).toMatchObject({ status: 200, requestId: "srv-1", clientRequestId: sent[0] });
    const host = new URL(s.url).host;
    expect(ids).toEqual([`client-request-id ${sent[0]}`, `request-id srv-1 (${host})`]);
  });

  it("keeps a caller's own client-request-id and records a request that failed without an answer", async () => {
    const s = await server((_req, res) => void res.writeHead(204).end());
    const http = createHttpClient({ maxRetries: 0 });
    cleanups.add(() => http.close());
    const trace: RequestTrace = [];
    await http.request({
      method: "DELETE",
      url: `${s.url}/Users/1`,
      headers: { "client-request-id": "mine-1" },
      trace,
    });
    await http.request({ method: "GET", url: "http://127.0.0.1:1/unreachable", trace }).catch(() => undefined);
    const ids = requestIds(trace);
    expect(s.requests[0]?.headers["client-request-id"]).toBe("mine-1");
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe("client-request-id mine-1");
    expect(ids[1]).toMatch(/^client-request-id [0-9a-f-]{36}$/);
  });

  it("concurrent traces each see only their own requests, even when queued behind each other", async () => {
    const s = await server((req, res) => void res.writeHead(200, { "x-request-id": `for-${req.url}` }).end());
    const http = createHttpClient({ concurrency: 1 });
    cleanups.add(() => http.close());
    const results = await Promise.all(
      ["/a", "/b", "/c"].map((path) =>
        (async () => {
          const trace: RequestTrace = [];
          await http.request({ method: "GET", url: `${s.url}${path}`, trace });
          await http.request({ method: "GET", url: `${s.url}${path}/again`, trace });
          return requestIds(trace).filter((id) => id.startsWith("request-id"));
        })(),
      ),
    );
    const host = new URL(s.url).host;
    expect(results).toEqual(
      ["/a", "/b", "/c"].map((p) => [`request-id for-${p} (${host})`, `request-id for-${p}/again (${host})`]),
    );
  });
});
