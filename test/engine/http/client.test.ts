import { describe, expect, it } from "vitest";
import { createHttpClient, HttpError, type HttpClient, type HttpClientOptions } from "../../../electron/engine/http";
import { json, startHttpsServer } from "./local-server";
import { closedAfterEach } from "./per-test";

const cleanups = closedAfterEach();
const server = cleanups.server;

/** A client whose retry waits are recorded instead of slept. */
function client(options: HttpClientOptions = {}): { http: HttpClient; delays: number[] } {
  const delays: number[] = [];
  const http = createHttpClient({ sleep: async (ms) => void delays.push(ms), ...options });
  cleanups.add(() => http.close());
  return { http, delays };
}

async function rejection(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe("responses", () => {
  it("parses SCIM JSON, reports the request id, leaves 204 empty and sends forms encoded", async () => {
    const s = await server((req, res) => {
      if (req.method === "DELETE") return void res.writeHead(204).end();
      if (req.method === "POST") return json(res, 200, { got: req.body, type: req.headers["content-type"] });
      res.writeHead(200, { "content-type": "application/scim+json; charset=utf-8", "x-ms-request-id": "abc-123" });
      res.end(JSON.stringify({ totalResults: 0, Resources: [] }));
    });
    const { http } = client();
    const got = await http.request({ method: "GET", url: `${s.url}/Users` });
    expect(got).toMatchObject({ status: 200, body: { totalResults: 0, Resources: [] }, requestId: "abc-123" });
    expect((await http.request({ method: "DELETE", url: `${s.url}/Users/1` })).body).toBeUndefined();
    const posted = await http.request({
      method: "POST",
      url: `${s.url}/token`,
      form: { grant_type: "client_credentials", scope: "a b" },
    });
    expect(posted.body).toEqual({
      got: "grant_type=client_credentials&scope=a+b",
      type: "application/x-www-form-urlencoded",
    });
    expect(s.requests[0]?.headers["user-agent"]).toBe("ProvisionDesk");
  });
});

describe("retries", () => {
  it("waits the fractional Retry-After seconds Graph sends", async () => {
    const s = await server((_req, res, i) =>
      i === 0 ? json(res, 429, { error: {} }, { "retry-after": "2.128" }) : json(res, 200, { ok: true }),
    );
    const { http, delays } = client();
    const res = await http.request({ method: "GET", url: s.url });
    expect(res.status).toBe(200);
    expect(delays).toEqual([2128]);
    expect(http.stats).toEqual({ requests: 2, retries: 1, throttled: 1 });
  });

  it("waits until a Retry-After HTTP date", async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const s = await server((_req, res, i) =>
      i === 0 ? json(res, 503, {}, { "retry-after": at }) : json(res, 200, {}),
    );
    const { http, delays } = client();
    await http.request({ method: "GET", url: s.url });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(28_000);
    expect(delays[0]).toBeLessThanOrEqual(30_000);
  });

  it("rides out a burst of 503s with capped, jittered exponential backoff", async () => {
    const s = await server((_req, res, i) => (i < 4 ? json(res, 503, {}) : json(res, 200, { done: true })));
    const { http, delays } = client({ baseDelayMs: 100, maxDelayMs: 300 });
    const res = await http.request({ method: "GET", url: s.url });
    expect(res.body).toEqual({ done: true });
    expect(s.requests).toHaveLength(5);
    expect(delays).toHaveLength(4);
    [100, 200, 300, 300].forEach((cap, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(0);
      expect(delays[i]).toBeLessThanOrEqual(cap);
    });
  });

  it("gives up after maxRetries and returns the last response", async () => {
    const s = await server((_req, res, i) => json(res, 429, { attempt: i }, { "retry-after": "1" }));
    const { http, delays } = client({ maxRetries: 2 });
    const res = await http.request({ method: "GET", url: s.url });
    expect(res).toMatchObject({ status: 429, body: { attempt: 2 } });
    expect(delays).toEqual([1000, 1000]);
  });

  it("does not retry statuses outside retryOn", async () => {
    const s = await server((_req, res) => json(res, 500, {}));
    const { http } = client();
    expect((await http.request({ method: "GET", url: s.url })).status).toBe(500);
    expect(s.requests).toHaveLength(1);
  });

  it("retries a dropped connection for GET but not for POST, which may have been applied", async () => {
    const s = await server((req, res, i) =>
      i === 0 || req.method === "POST" ? res.socket?.destroy() : json(res, 200, {}),
    );
    const { http } = client();
    expect((await http.request({ method: "GET", url: s.url })).status).toBe(200);
    expect(s.requests).toHaveLength(2);

    const err = await rejection(http.request({ method: "POST", url: s.url, json: { userName: "a" } }));
    expect(err.kind).toBe("network");
    expect(err.mayHaveBeenApplied).toBe(true);
    expect(err.message).toMatch(/may have been applied/);
    expect(s.requests).toHaveLength(3);
  });

  it("retries a POST the caller marks idempotent", async () => {
    const s = await server((_req, res, i) => (i === 0 ? res.socket?.destroy() : json(res, 200, {})));
    const { http } = client();
    expect((await http.request({ method: "POST", url: s.url, json: {}, idempotent: true })).status).toBe(200);
    expect(s.requests).toHaveLength(2);
  });

  it("retries a timed-out GET, and reports a timed-out POST as a timeout", async () => {
    const s = await server((req, res, i) => {
      if (i > 0 && req.method === "GET") json(res, 200, {});
      // otherwise never answer: the client's timeout fires
    });
    const { http } = client({ timeoutMs: 200 });
    expect((await http.request({ method: "GET", url: s.url })).status).toBe(200);
    const err = await rejection(http.request({ method: "POST", url: s.url, json: {} }));
    expect(err.kind).toBe("timeout");
    expect(err.mayHaveBeenApplied).toBe(true);
    expect(err.message).toMatch(/did not answer within 0\.2 s/);
  });

  it("retries a refused connection even for POST, since nothing was sent", async () => {
    const s = await server(() => {});
    const url = s.url;
    await s.close();
    const { http, delays } = client({ maxRetries: 2 });
    const err = await rejection(http.request({ method: "POST", url, json: {} }));
    expect(err).toMatchObject({ kind: "network", code: "ECONNREFUSED", mayHaveBeenApplied: false });
    expect(delays).toHaveLength(2);
  });
});

describe("transport security", () => {
  it("refuses plain http:// to anything but this computer", async () => {
    const { http } = client();
    for (const url of ["http://scim.example.com/v1/Users", "http://10.0.0.5/Users", "http://127.example.com/"]) {
      const err = await rejection(http.request({ method: "GET", url }));
      expect(err.kind).toBe("insecureUrl");
      expect(err.message).toMatch(/must use https:\/\//);
    }
    expect(http.stats.requests).toBe(0);
  });

  it("refuses loopback http:// too when not allowed", async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const { http } = client({ allowInsecureLoopback: false });
    expect((await rejection(http.request({ method: "GET", url: s.url }))).kind).toBe("insecureUrl");
    expect(s.requests).toHaveLength(0);
  });

  it("trusts a private CA given as PEM, and explains an untrusted certificate", async () => {
    const s = await startHttpsServer((_req, res) => json(res, 200, { secure: true }));
    cleanups.add(() => s.close());
    const trusted = client({ caPem: s.cert }).http;
    expect((await trusted.request({ method: "GET", url: `${s.url}/x` })).body).toEqual({ secure: true });

    const untrusted = client().http;
    const err = await rejection(untrusted.request({ method: "GET", url: `${s.url}/x` }));
    expect(err.kind).toBe("tls");
    expect(err.message).toContain(`The certificate of ${new URL(s.url).host} is not trusted`);
    expect(err.message).toContain("CA file");
    expect(untrusted.stats.retries).toBe(0);
  });
});

describe("limits", () => {
  it("never has more requests in flight than the concurrency cap", async () => {
    let inFlight = 0;
    let peak = 0;
    const s = await server((_req, res) => {
      peak = Math.max(peak, ++inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, {});
      }, 15);
    });
    const { http } = client({ concurrency: 3 });
    const all = await Promise.all(Array.from({ length: 12 }, () => http.request({ method: "GET", url: s.url })));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });

  it("keeps its concurrency slot while waiting out a Retry-After", async () => {
    const order: string[] = [];
    const s = await server((req, res, i) => {
      order.push(req.url);
      if (i === 0) json(res, 429, {}, { "retry-after": "0.01" });
      else json(res, 200, {});
    });
    const { http } = client({ concurrency: 1 });
    await Promise.all([
      http.request({ method: "GET", url: `${s.url}/a` }),
      http.request({ method: "GET", url: `${s.url}/b` }),
    ]);
    expect(order).toEqual(["/a", "/a", "/b"]);
  });
});
