import { describe, expect, it } from "vitest";
import type { ProvisionDeskApi } from "../../shared/ipc/contract";
import { EngineError } from "../../electron/engine/service/errors";
import { fromResponse } from "../../electron/engine/target/errors";
import { cycle, dashboard, logEntry } from "./recording-service";
import type { RecordingService } from "./recording-service";

export interface TransportUnderTest {
  api: ProvisionDeskApi;
  service: RecordingService;
  /** A caller that is not our renderer tries to start a cycle; resolves to how it was refused. */
  untrustedAttempt(): Promise<string>;
  close(): Promise<void>;
}

/** Waits until `check` passes; events cross a socket, so they arrive a little later than the emit. */
async function eventually(check: () => void): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return check();
    } catch (error) {
      if (i > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** The one contract suite, run against every transport so they cannot drift apart. */
export function contractSuite(name: string, start: () => Promise<TransportUnderTest>): void {
  describe(`IPC contract over ${name}`, () => {
    const withTransport = (body: (t: TransportUnderTest) => Promise<void>) => async () => {
      const transport = await start();
      try {
        await body(transport);
      } finally {
        await transport.close();
      }
    };

    it(
      "answers a valid call with the engine's value, defaults filled in",
      withTransport(async ({ api, service }) => {
        expect(await api.invoke("dashboard.get", {})).toEqual({ ok: true, value: dashboard });
        expect(await api.invoke("sync.provisionNow", { dryRun: true })).toEqual({
          ok: true,
          value: { ...cycle, dryRun: true },
        });
        expect(service.calls).toEqual([
          { method: "dashboard", args: [] },
          { method: "provisionNow", args: [{ dryRun: true, full: false, allowDeletes: false }] },
        ]);
      }),
    );

    it(
      "routes the run controls (cancel, restart, retry now) to the engine and refuses stray payload keys",
      withTransport(async ({ api, service }) => {
        expect(await api.invoke("sync.cancel", {})).toEqual({ ok: true, value: dashboard });
        expect(await api.invoke("sync.restart", {})).toEqual({ ok: true, value: dashboard });
        expect(await api.invoke("sync.retryNow", {})).toEqual({ ok: true, value: cycle });
        expect(await api.invoke("escrow.retry", { type: "user", sourceId: "u-1" })).toEqual({ ok: true, value: cycle });
        expect(await api.invoke("sync.restart", { full: true } as never)).toMatchObject({
          ok: false,
          error: { code: "VALIDATION" },
        });
        expect(await api.invoke("escrow.retry", { type: "device", sourceId: "u-1" } as never)).toMatchObject({
          ok: false,
          error: { code: "VALIDATION" },
        });
        expect(service.calls).toContainEqual({ method: "retryEscrowed", args: ["user", "u-1"] });
        expect(service.calls.map((c) => c.method)).toEqual(["cancel", "restart", "retryNow", "retryEscrowed"]);
      }),
    );

    it(
      "routes provision on demand for a group with the members picked, and refuses a sixth member",
      withTransport(async ({ api, service }) => {
        expect(await api.invoke("provision.group", { group: "Sales", members: ["a@contoso.com"] })).toMatchObject({
          ok: true,
          value: { steps: [], members: [] },
        });
        expect(await api.invoke("provision.groupMembers", { group: "g-1" })).toMatchObject({ ok: true });
        const six = ["1", "2", "3", "4", "5", "6"];
        expect(await api.invoke("provision.group", { group: "Sales", members: six })).toMatchObject({
          ok: false,
          error: { code: "VALIDATION" },
        });
        expect(service.calls).toEqual([
          { method: "provisionGroup", args: ["Sales", ["a@contoso.com"]] },
          { method: "groupMembers", args: ["g-1"] },
        ]);
      }),
    );

    it(
      "refuses a payload failing validation with a typed VALIDATION error, before the engine runs",
      withTransport(async ({ api, service }) => {
        const result = await api.invoke("sync.setPaused", { paused: "yes" } as never);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe("VALIDATION");
        expect(result.error.message).toMatch(/paused/);
        expect(JSON.parse(result.error.detail ?? "[]")[0]).toMatchObject({ path: ["paused"] });
        const extraKey = await api.invoke("log.list", { limit: 5, path: "/etc/passwd" } as never);
        expect(extraKey).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
        expect(service.calls).toEqual([]);
      }),
    );

    it(
      "carries the configuration screens' queries: drafts must be JSON objects, secrets for a test are never echoed",
      withTransport(async ({ api, service }) => {
        // Any JSON object travels: the engine checks a draft and answers its problems (an incomplete one here).
        const draft = { name: "new", source: { tenantId: "t" }, rules: { users: { mappings: [] } } } as never;
        expect(await api.invoke("scope.preview", { draft })).toEqual({
          ok: true,
          value: { status: "invalid", problems: [{ path: "$.source", severity: "error", message: "Required" }] },
        });
        expect(await api.invoke("scope.preview", { draft: "not an object" } as never)).toMatchObject({
          ok: false,
          error: { code: "VALIDATION" },
        });
        expect(
          await api.invoke("expression.evaluate", { expression: "[givenName]", userId: "u-1", extra: 1 } as never),
        ).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
        const checks = await api.invoke("connections.testDraft", { draft, scimToken: "s3cr3t-token-value" });
        expect(checks).toMatchObject({ ok: true, value: [{ ok: true }] });
        expect(JSON.stringify(checks)).not.toContain("s3cr3t-token-value");
        expect(service.calls).toEqual([
          { method: "previewScope", args: [draft, 10] },
          // The token reaches main (one way); the answer never carries it back.
          { method: "testDraftConnection", args: [{ draft, side: "both", scimToken: "s3cr3t-token-value" }] },
        ]);
      }),
    );

    it(
      "refuses an unknown method with a typed error",
      withTransport(async ({ api, service }) => {
        const result = await api.invoke("fs.readFile" as never, {} as never);
        expect(result).toMatchObject({ ok: false, error: { code: "UNKNOWN_METHOD" } });
        expect(service.calls).toEqual([]);
      }),
    );

    it(
      "refuses an untrusted caller before the engine runs",
      withTransport(async ({ untrustedAttempt, service }) => {
        expect(await untrustedAttempt()).toMatch(/UNAUTHORIZED_SENDER|401/);
        expect(service.calls).toEqual([]);
      }),
    );

    it(
      "returns engine failures as results, never secrets",
      withTransport(async ({ api, service }) => {
        // Real engine errors: the SCIM client's own mapping of a 401, and the service's "no profile".
        const refused = fromResponse(
          { status: 401, headers: {}, clientRequestId: "req-1", body: { detail: "token revoked" } },
          { preset: "splashtop", type: "Users", action: "list" },
        );
        service.failNext("testConnection", refused);
        expect(await api.invoke("connections.test", {})).toEqual({
          ok: false,
          error: { code: "AUTH", message: refused.message, detail: "HTTP 401, Unauthorized: token revoked" },
        });
        service.failNext("provisionNow", new EngineError("NOT_CONFIGURED", "No profile is set up. Import one."));
        expect(await api.invoke("sync.provisionNow", {})).toEqual({
          ok: false,
          error: { code: "NOT_CONFIGURED", message: "No profile is set up. Import one." },
        });
        service.failNext("dashboard", new TypeError("Authorization: Bearer abcdefghijklmnop failed"));
        const crashed = await api.invoke("dashboard.get", {});
        expect(crashed).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
        expect(JSON.stringify(crashed)).not.toContain("abcdefghijklmnop");
        // The fake engine leaks a secret inside the profile: the strict profile schema refuses the whole answer.
        const view = await api.invoke("connections.get", {});
        expect(JSON.stringify(view)).not.toContain("s3cr3t-value");
        expect(view).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
      }),
    );

    it(
      "delivers events, and stops after unsubscribe",
      withTransport(async ({ api, service }) => {
        const received: unknown[] = [];
        const unsubscribe = api.on("log.entry", (entry) => received.push(entry.displayName));
        await api.invoke("dashboard.get", {}); // the round trip guarantees the subscription is live on the far side
        service.emit("log.entry", logEntry);
        service.emit("dashboard.changed", dashboard);
        await eventually(() => expect(received).toEqual(["Adele Vance"]));
        unsubscribe();
        service.emit("log.entry", { ...logEntry, displayName: "After unsubscribe" });
        const finished: number[] = [];
        api.on("cycle.finished", (summary) => finished.push(summary.id));
        service.emit("cycle.finished", cycle);
        await eventually(() => expect(finished).toEqual([7]));
        expect(received).toEqual(["Adele Vance"]);
      }),
    );

    it(
      "drops events that break the contract instead of forwarding them",
      withTransport(async ({ api, service }) => {
        const received: number[] = [];
        api.on("cycle.finished", (summary) => received.push(summary.id));
        await api.invoke("dashboard.get", {});
        service.emit("cycle.finished", { id: "not a number" } as never);
        service.emit("cycle.finished", cycle);
        await eventually(() => expect(received).toEqual([7]));
      }),
    );
  });
}
