import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ERROR_SCHEMA, startScimServer, type ScimServer } from "../../../electron/emulators/scim/index";
import { createUser, entraUser, filterQuery, scim } from "./helpers";

let server: ScimServer;
beforeAll(async () => {
  server = await startScimServer({ maxRecordedRequests: 5 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const statuses = async (n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await scim(server, "GET", "/Users")).status);
  return out;
};

describe("fault switches", () => {
  it("throttles the next N requests with 429, Retry-After and a SCIM error body, then recovers", async () => {
    server.setFaults({ throttleNext: 2, retryAfterSeconds: 7 });
    const r = await scim(server, "POST", "/Users", entraUser(1));
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("7");
    expect(r.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: "429" });
    expect(server.listUsers()).toEqual([]); // a throttled write did not happen
    expect(await statuses(3)).toEqual([429, 200, 200]);
    expect(server.faults.throttleNext).toBe(0);
  });

  it("throttles a share of requests, spread evenly", async () => {
    server.setFaults({ throttleRate: 0.25 });
    expect(await statuses(8)).toEqual([200, 200, 200, 429, 200, 200, 200, 429]);
  });

  it("answers bursts of 503 or 500", async () => {
    server.setFaults({ errorNext: 2 });
    expect(await statuses(3)).toEqual([503, 503, 200]);
    server.setFaults({ errorNext: 1, errorStatus: 500 });
    const r = await scim(server, "GET", "/Users");
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: "500" });
  });

  it("drops the connection without an answer for the next N requests and records status 0", async () => {
    server.setFaults({ dropNext: 1 });
    await expect(
      fetch(`${server.tenantUrl}/Users`, { headers: { authorization: `Bearer ${server.token}` } }),
    ).rejects.toThrow();
    expect((await scim(server, "GET", "/Users")).status).toBe(200);
    await expect.poll(() => server.requests.map((q) => q.status)).toEqual([0, 200]);
  });

  it("adds latency before answering", async () => {
    server.setFaults({ latencyMs: 120 });
    expect((await scim(server, "GET", "/Users")).status).toBe(200);
    expect(server.requests[0]?.durationMs).toBeGreaterThanOrEqual(119);
  });

  it("enforces a requests-per-second token bucket with 429 and Retry-After", async () => {
    server.setFaults({ rateLimitPerSecond: 0.5, rateLimitBurst: 2 });
    const first = await statuses(2);
    const third = await scim(server, "GET", "/Users");
    expect(first).toEqual([200, 200]);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    server.setFaults({ rateLimitPerSecond: 0 });
    expect(await statuses(3)).toEqual([200, 200, 200]);
  });

  it("rejects nonsense fault settings", () => {
    expect(() => server.setFaults({ throttleNext: -1 })).toThrow(RangeError);
    expect(() => server.setFaults({ errorStatus: 502 as 503 })).toThrow(RangeError);
  });
});

describe("request recorder", () => {
  it("records method, path, query, body as sent, status and time; clears; keeps only the newest maxRecordedRequests", async () => {
    const id = await createUser(server, 1);
    await scim(server, "GET", `/Users?${filterQuery('userName eq "user1@contoso.com"')}`);
    const [post, get] = server.requests;
    expect(post).toMatchObject({ method: "POST", path: "/Users", query: {}, status: 201 });
    expect(post?.body).toEqual(entraUser(1));
    expect(get).toMatchObject({
      method: "GET",
      path: "/Users",
      query: { filter: 'userName eq "user1@contoso.com"' },
      status: 200,
    });
    expect(Date.parse(get?.time ?? "")).toBeGreaterThanOrEqual(Date.parse(post?.time ?? ""));
    await scim(server, "GET", `/Users/${id}`, undefined, { token: "bad" });
    expect(server.requests[2]).toMatchObject({ path: `/Users/${id}`, status: 401 });
    server.clearRequests();
    expect(server.requests).toEqual([]);
    await statuses(7);
    expect(server.requests).toHaveLength(5);
  });
});
