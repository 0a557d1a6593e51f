import { describe, expect, expectTypeOf, it } from "vitest";
import type { ProvisionDeskApi, ResultOf } from "../../shared/ipc/contract";
import type { RendererApi } from "../../renderer/src/api/websocket";
import type { Result } from "../../shared/ipc/result";

/**
 * Type-level checks, enforced by `tsc --noEmit -p tsconfig.json`: each `@ts-expect-error` line must fail to compile,
 * otherwise tsc reports the unused directive. The function is never called; compiling it is the test.
 */
export function rendererCallsThatMustNotCompile(api: RendererApi): void {
  // @ts-expect-error `paused` is a boolean in the contract
  void api.invoke("sync.setPaused", { paused: "yes" });
  // @ts-expect-error requests are strict: unknown keys are refused
  void api.invoke("log.list", { limit: 5, path: "/etc/passwd" });
  // @ts-expect-error no such method
  void api.invoke("fs.readFile", {});
  // @ts-expect-error listeners get the event's payload type
  api.on("cycle.finished", (summary: { id: string }) => summary);
}

describe("contract types", () => {
  it("types each call's answer from the contract", () => {
    const _getDashboard = (api: ProvisionDeskApi) => api.invoke("dashboard.get", {});
    expectTypeOf<ReturnType<typeof _getDashboard>>().toEqualTypeOf<Promise<Result<ResultOf<"dashboard.get">>>>();
    expect(typeof rendererCallsThatMustNotCompile).toBe("function");
  });
});
