import { describe, expect, it } from "vitest";
import { createDispatcher } from "../../electron/app/dispatcher";
import { createEventGate } from "../../electron/app/events";
import { createHandlers } from "../../electron/app/handlers";
import { redactSecrets } from "../../electron/app/redact";
import { createRecordingService, dashboard, logEntry } from "./recording-service";

const trusted = {};
const setup = () => {
  const service = createRecordingService();
  const internal: string[] = [];
  const dispatch = createDispatcher(createHandlers(service), {
    isTrustedSender: (sender) => sender === trusted,
    onInternalError: (method) => internal.push(method),
  });
  return { service, dispatch, internal };
};

describe("dispatcher", () => {
  it("does not pass Node's own errors through as if they were meant for admins", async () => {
    const { service, dispatch, internal } = setup();
    service.failNext(
      "browseTarget",
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED", syscall: "connect" }),
    );
    const result = await dispatch("target.browse", {}, trusted);
    expect(result).toMatchObject({
      ok: false,
      error: { code: "INTERNAL", detail: "Error: connect ECONNREFUSED 127.0.0.1:443" },
    });
    expect(internal).toEqual(["target.browse"]);
  });

  it("passes only the engine's own errors by their code: an arbitrary upper-case code is not trusted", async () => {
    const { service, dispatch, internal } = setup();
    service.failNext("browseTarget", Object.assign(new Error("raw text"), { code: "TARGET_UNAUTHORIZED" }));
    expect(await dispatch("target.browse", {}, trusted)).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
    expect(internal).toEqual(["target.browse"]);
  });

  it("refuses a request nested too deep for validation to read, before anything recurses into it", async () => {
    const { service, dispatch, internal } = setup();
    let deep: unknown = "leaf";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    for (const [method, payload] of [
      ["profile.save", { profile: { name: deep }, baseRevision: null }],
      ["rules.test", { user: "x", draft: { name: deep } }],
    ] as const) {
      const result = await dispatch(method, payload, trusted);
      expect(result, method).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
      if (!result.ok) expect(result.error.message).toContain("nests deeper than 64 levels");
    }
    expect(service.calls).toEqual([]);
    expect(internal).toEqual([]);
  });

  it("reports a handler answer that breaks the contract as INTERNAL instead of sending it", async () => {
    const { service, dispatch, internal } = setup();
    service.dashboard = () => ({ ...dashboard, status: "exploded" }) as never;
    const result = await dispatch("dashboard.get", {}, trusted);
    expect(result).toMatchObject({ ok: false, error: { code: "INTERNAL" } });
    if (!result.ok) expect(result.error.detail).toMatch(/status/);
    expect(internal).toEqual(["dashboard.get"]);
  });

  it("strips keys the contract does not declare from results", async () => {
    const { service, dispatch } = setup();
    service.logs = () => ({
      entries: [{ ...logEntry, scimToken: "abc", internalRow: 3 } as never],
      nextCursor: null,
      total: 1,
    });
    const result = await dispatch("log.list", {}, trusted);
    expect(result.ok && result.value).toEqual({ entries: [logEntry], nextCursor: null, total: 1 });
  });

  it("accepts a missing payload as an empty request", async () => {
    const { dispatch } = setup();
    expect(await dispatch("cycles.list", undefined, trusted)).toMatchObject({ ok: true });
  });
});

describe("redactSecrets", () => {
  it("keeps presence flags and removes secret strings at any depth", () => {
    expect(
      redactSecrets({
        secrets: { clientSecret: true },
        nested: [{ password: "hunter2", note: "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y" }],
        tenantUrl: "https://my.splashtop.com/scim/v1",
      }),
    ).toEqual({
      secrets: { clientSecret: true },
      nested: [{ password: "[redacted]", note: "Authorization: Bearer [redacted]" }],
      tenantUrl: "https://my.splashtop.com/scim/v1",
    });
  });
});

describe("event gate", () => {
  it("queues events until the renderer is ready, keeps order, and queues again after a reload", () => {
    const delivered: string[] = [];
    const gate = createEventGate((event, payload) => delivered.push(`${event}:${(payload as { id: number }).id}`), 2);
    gate.sink("log.entry", { ...logEntry, id: 1 });
    gate.sink("log.entry", { ...logEntry, id: 2 });
    gate.sink("log.entry", { ...logEntry, id: 3 });
    expect(delivered).toEqual([]);
    gate.ready();
    expect(delivered).toEqual(["log.entry:2", "log.entry:3"]);
    gate.sink("log.entry", { ...logEntry, id: 4 });
    gate.reset();
    gate.sink("log.entry", { ...logEntry, id: 5 });
    expect(delivered).toEqual(["log.entry:2", "log.entry:3", "log.entry:4"]);
    gate.ready();
    expect(delivered.at(-1)).toBe("log.entry:5");
  });
});
