// Fault matrix, source side: the Graph emulator's throttling, token and registration switches against a real engine.
// A failed read must end the cycle before any write: nobody is disabled or deleted because Entra could not be read.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect } from "vitest";
import { ALL_PERMISSIONS, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../../electron/emulators/graph";
import { failures, faultCase, provisioned, type FaultWorld } from "./matrix";

const registration = { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, permissions: ALL_PERMISSIONS };

/**
 * After a good first cycle, Entra changes and then a fault stops the next cycle: it must fail before writing anything,
 * say why, and the cycle after the fix must bring the target up to date.
 */
async function failsThenRecovers(
  w: FaultWorld,
  fault: () => void,
  fix: () => void | Promise<void>,
  message: RegExp,
  ended: { outcome: "failed" | "quarantined"; kind: string },
) {
  await provisioned(w);
  const before = w.scimSrv.listUsers();
  w.addUsers("Pending Newcomer");
  w.editUsers(2);
  fault();
  const writes = w.scimSrv.requests.length;
  const failed = await w.cycle();
  expect(failed.summary.outcome).toBe(ended.outcome);
  expect(failed.failure?.kind).toBe(ended.kind);
  expect(failed.summary.error).toMatch(message);
  expect(w.scimSrv.requests.slice(writes).filter((r) => r.method !== "GET")).toEqual([]);
  expect(w.scimSrv.listUsers()).toEqual(before);
  expect(failures(failed.log)).toEqual([]);
  await fix();
  const next = await w.cycle();
  expect(next.summary).toMatchObject({ outcome: "succeeded", error: null });
  expect(next.summary.counts.users).toMatchObject({ create: 1, update: 2 });
  return failed.summary.error!;
}

describe("fault matrix: source (Microsoft Graph)", () => {
  faultCase("Graph", "429 storm within the retry budget", async (w) => {
    // Half of all Graph requests refused, for the whole cycle (seeded, so the same requests every run).
    w.graphEmu.admin.setThrottling({ fraction: 0.5, retryAfter: "0.05" });
    const { summary, log } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null });
    expect(failures(log)).toEqual([]);
    const throttled = w.graphEmu.counters().throttled;
    expect(throttled).toBeGreaterThan(3);
    expect(w.retries.filter((r) => r.reason === 429)).toHaveLength(throttled);
    expect(w.retries.every((r) => r.delayMs === 50)).toBe(true); // Graph's fractional Retry-After, honoured
    return "honoured each Retry-After, then succeeded";
  });

  faultCase("Graph", "429 storm beyond the retry budget", async (w) => {
    const message = await failsThenRecovers(
      w,
      () => w.graphEmu.admin.setThrottling({ retryAfter: "0.01" }),
      () => w.graphEmu.admin.setThrottling(null),
      /^Microsoft Graph kept asking to slow down \(429\) after several retries\. The next cycle will try again/,
      { outcome: "failed", kind: "other" },
    );
    expect(w.retries.filter((r) => r.reason === 429).length).toBeGreaterThanOrEqual(8);
    expect(message).not.toContain("$deltatoken");
    return "cycle stopped before writing; said the next cycle retries; it caught up";
  });

  faultCase("Graph", "503 (service unavailable)", async (w) => {
    w.graphEmu.admin.setThrottling({ status: 503, count: 3, retryAfter: null });
    const { summary } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null });
    expect(w.retries.map((r) => r.reason)).toEqual([503, 503, 503]);
    return "retried with backoff, then succeeded";
  });

  faultCase("Graph", "504 (gateway timeout)", async (w) => {
    w.graphEmu.admin.setThrottling({ status: 504, count: 3, retryAfter: null });
    const { summary } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null });
    expect(w.retries.map((r) => r.reason)).toEqual([504, 504, 504]);
    return "retried with backoff, then succeeded";
  });

  faultCase("Graph", "401 on an access token that expired", async (w) => {
    await provisioned(w);
    w.editUsers(2);
    w.graphEmu.admin.expireAccessTokens();
    const { summary } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null, kind: "incremental" });
    expect(summary.counts.users.update).toBe(2);
    return "fetched a new token, then succeeded";
  });

  faultCase("Graph", "expired delta link (410)", async (w) => {
    await provisioned(w);
    w.addUsers("After Expiry");
    w.editUsers(2);
    w.graphEmu.admin.expireDeltaTokens();
    const { summary, log } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null, kind: "initial" });
    expect(summary.counts.users).toMatchObject({ create: 1, update: 2, failed: 0 });
    expect(failures(log)).toEqual([]);
    expect(w.graphEmu.requests.filter((r) => r.status === 410).length).toBeGreaterThan(0);
    return "read everything again (full cycle), then succeeded";
  });

  faultCase("Graph", "invalid client secret", async (w) => {
    await failsThenRecovers(
      w,
      () => {
        w.graphEmu.admin.registerClient({ ...registration, clientSecret: "rotated-in-entra" });
        w.graphEmu.admin.expireAccessTokens();
      },
      () => w.graphEmu.admin.registerClient(registration),
      /^Quarantined because the credentials were rejected: Entra ID rejected the client secret \(AADSTS7000215\).*Connections → Source/,
      { outcome: "quarantined", kind: "auth" },
    );
    return "quarantined before writing; said to paste a new secret; caught up with it";
  });

  faultCase("Graph", "missing permission (Group.Read.All)", async (w) => {
    const message = await failsThenRecovers(
      w,
      () => {
        w.graphEmu.admin.registerClient({ ...registration, permissions: ["User.Read.All", "Application.Read.All"] });
        w.graphEmu.admin.expireAccessTokens();
      },
      () => {
        w.graphEmu.admin.registerClient(registration);
        w.graphEmu.admin.expireAccessTokens();
      },
      /^Quarantined because the credentials were rejected: .*lacks the application permission Group\.Read\.All, or admin consent for it\. Add it under API permissions/,
      { outcome: "quarantined", kind: "auth" },
    );
    expect(message).toContain("403 Authorization_RequestDenied on GET /v1.0/groups/delta");
    return "quarantined before writing; named Group.Read.All and admin consent; caught up after it";
  });

  faultCase("Graph", "token endpoint down (503)", async (w) => {
    await failsThenRecovers(
      w,
      () => {
        w.graphEmu.admin.setThrottling({ path: "/oauth2/", status: 503, retryAfter: "1" });
        w.graphEmu.admin.expireAccessTokens();
      },
      async () => {
        w.graphEmu.admin.setThrottling(null);
        await sleep(1100); // msal does not ask again before the Retry-After the endpoint sent
      },
      /^Entra ID's token endpoint is busy or failing \(HTTP 503\)\. The next cycle will try again/,
      { outcome: "failed", kind: "other" },
    );
    return "cycle stopped before writing; said the next cycle retries; it caught up";
  });
});
