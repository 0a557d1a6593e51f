import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphEmulator, type GraphEmulator } from "../../../electron/emulators/graph";
import { httpFor, type Http } from "./helpers";

let emu: GraphEmulator;
let http: Http;

beforeAll(async () => {
  emu = await startGraphEmulator();
  http = httpFor(emu);
  await http.token();
});

afterAll(async () => {
  await http.close();
  await emu.close();
});

describe("throttling on demand", () => {
  it("answers the next N Graph requests with 429, a fractional Retry-After and TooManyRequests", async () => {
    emu.admin.setThrottling({ count: 2, retryAfter: "0.2" });
    const first = await http.get("/v1.0/users?$top=1");
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("0.2");
    expect(first.body.error).toMatchObject({
      code: "TooManyRequests",
      innerError: { "request-id": first.headers.get("request-id") },
    });
    expect((await http.get("/v1.0/users?$top=1")).status).toBe(429);
    expect((await http.get("/v1.0/users?$top=1")).status).toBe(200);
  });

  it("bursts 503 and 504 on a path pattern only", async () => {
    emu.admin.setThrottling({ status: 503, count: 1, path: /\/groups/, retryAfter: null });
    expect((await http.get("/v1.0/users?$top=1")).status).toBe(200);
    const refused = await http.get("/v1.0/groups?$top=1");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBeNull();
    expect((refused.body.error as Record<string, unknown>).code).toBe("serviceNotAvailable");
    emu.admin.setThrottling({ status: 504, count: 1 });
    expect((await http.get("/v1.0/groups?$top=1")).status).toBe(504);
    expect((await http.get("/v1.0/groups?$top=1")).status).toBe(200);
  });

  it("refuses a fraction of requests, deterministically for the seed, until switched off", async () => {
    emu.admin.setThrottling({ fraction: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await http.get("/v1.0/users?$top=1")).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(3);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(3);
    emu.admin.setThrottling(null);
    expect((await http.get("/v1.0/users?$top=1")).status).toBe(200);
  });

  it("throttles the token endpoint in the identity platform's error shape when its path is targeted", async () => {
    emu.admin.setThrottling({ count: 1, path: /oauth2\/v2\.0\/token/, retryAfter: "1" });
    const res = await http.fetch(emu.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toMatchObject({ error: "temporarily_unavailable", error_codes: [90033] });
  });

  it("records every request and counts statuses", async () => {
    const before = emu.counters();
    const n = emu.requests.length;
    await http.get("/v1.0/users/nobody@contoso.com");
    const rec = emu.requests[n];
    expect(rec).toMatchObject({
      method: "GET",
      path: "/v1.0/users/nobody@contoso.com",
      status: 404,
      requestId: expect.any(String),
    });
    const after = emu.counters();
    expect(after.total).toBe(before.total + 1);
    expect(after.byStatus[404]).toBe((before.byStatus[404] ?? 0) + 1);
    expect(after.throttled).toBeGreaterThanOrEqual(6);
    // One explicit token in beforeAll, one cached by the GET helper.
    expect(after.tokensIssued).toBe(2);
  });
});
