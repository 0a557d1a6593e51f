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
    expect(() => server.setFaults({ errorStatus: 501 as 503 })).toThrow(RangeError);
  });
});

describe("failures around a write and broken answers", () => {
  const raw = (path: string, init: RequestInit = {}) =>
    fetch(server.tenantUrl + path, {
      ...init,
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/scim+json" },
    });

  it("limits faults to requests matching 'METHOD /path', and can send 429 without Retry-After", async () => {
    server.setFaults({ match: "^POST /Users$", throttleNext: 1, retryAfterSeconds: null });
    expect((await scim(server, "GET", "/Users")).status).toBe(200);
    const r = await scim(server, "POST", "/Users", entraUser(1));
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBeNull();
    expect(server.listUsers()).toEqual([]);
  });

  it("answers 502 before or after applying the write", async () => {
    server.setFaults({ errorNext: 1, errorStatus: 502 });
    expect((await scim(server, "POST", "/Users", entraUser(1))).status).toBe(502);
    expect(server.listUsers()).toHaveLength(0);
    server.setFaults({ errorNext: 1, errorStatus: 502, errorAfterApply: true });
    const r = await scim(server, "POST", "/Users", entraUser(2));
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: "502" });
    expect(r.headers.get("location")).toBeNull();
    expect(server.listUsers().map((u) => u.userName)).toEqual(["user2@contoso.com"]);
  });

  it("resets the connection after applying a write", async () => {
    server.setFaults({ dropAfterApplyNext: 1 });
    await expect(raw("/Users", { method: "POST", body: JSON.stringify(entraUser(1)) })).rejects.toThrow();
    expect(server.listUsers().map((u) => u.userName)).toEqual(["user1@contoso.com"]);
  });

  it("never answers a hung request, until the client gives up", async () => {
    server.setFaults({ hangNext: 1 });
    await expect(raw("/Users", { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect((await scim(server, "GET", "/Users")).status).toBe(200);
  });

  it("cuts the JSON of an applied write's answer in half", async () => {
    server.setFaults({ malformedNext: 1 });
    const res = await raw("/Users", { method: "POST", body: JSON.stringify(entraUser(1)) });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect(server.listUsers()).toHaveLength(1);
  });

  it("answers an HTML sign-in page with 200 instead of the app", async () => {
    server.setFaults({ htmlNext: 1 });
    const res = await raw("/Users");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/Sign in/);
  });

  it("leaves the ids out of a ListResponse, and can ignore a filter", async () => {
    await createUser(server, 1);
    await createUser(server, 2);
    server.setFaults({ omitIdsNext: 1 });
    const list = await scim(server, "GET", "/Users");
    expect(list.body.Resources).toHaveLength(2);
    expect(list.body.Resources.every((r: { id?: string }) => r.id === undefined)).toBe(true);
    server.setFaults({ ignoreFilterNext: 1 });
    const q = `/Users?${filterQuery('userName eq "user1@contoso.com"')}`;
    expect((await scim(server, "GET", q)).body.totalResults).toBe(2);
    expect((await scim(server, "GET", q)).body.totalResults).toBe(1);
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
