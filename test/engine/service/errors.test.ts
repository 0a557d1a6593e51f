import { describe, expect, it } from "vitest";
import { HttpError } from "../../../electron/engine/http/errors";
import { CycleLockedError } from "../../../electron/engine/lock";
import { SecretStoreUnavailableError } from "../../../electron/engine/secrets";
import { ProfileValidationError } from "../../../electron/engine/service/profile-io";
import { GraphError, SourceAuthError, SourceConfigError } from "../../../electron/engine/source/errors";
import { fromHttpError, fromResponse } from "../../../electron/engine/target/errors";
import {
  EngineError,
  ERROR_CODES,
  errorKind,
  toAppError,
  type ErrorCode,
} from "../../../electron/engine/service/errors";

const graphError = (status: number, code = "Some_Code") =>
  new GraphError({
    status,
    code,
    graphMessage: "Graph's words",
    method: "GET",
    path: "/v1.0/users/x",
    clientRequestId: "c-1",
  });
const scimError = (status: number) =>
  fromResponse(
    { status, headers: {}, clientRequestId: "req-1", body: { detail: "the app's words" } },
    {
      preset: "splashtop",
      type: "Users",
      action: "create",
    },
  );
const httpError = (kind: HttpError["kind"]) => new HttpError({ kind, message: `${kind} happened`, detail: "ECODE" });
const sourceAuth = (kind: SourceAuthError["kind"]) =>
  new SourceAuthError({ kind, message: "Entra said no", detail: "AADSTS7000215" });

/** Every error class the engine throws, with the code the window and the CLI show for it. */
const cases: [string, unknown, ErrorCode][] = [
  ["EngineError by kind", new EngineError("notConfigured", "no profile"), "NOT_CONFIGURED"],
  ["EngineError by code", new EngineError("SECRET_MISSING", "no token"), "SECRET_MISSING"],
  ["lock held elsewhere", new CycleLockedError(null, "/data/cycle.lock"), "LOCKED"],
  ["no keychain", new SecretStoreUnavailableError("no keychain", "AccessDenied"), "SECRET_STORE"],
  ["invalid profile", new ProfileValidationError([{ path: "x", severity: "error", message: "bad" }]), "CONFIG"],
  ["enterprise app missing", new SourceConfigError("appNotFound", "no such app"), "CONFIG"],
  ["AADSTS invalid secret", sourceAuth("invalidSecret"), "AUTH"],
  ["token endpoint unreachable", sourceAuth("network"), "SOURCE_UNREACHABLE"],
  ["token endpoint throttled", sourceAuth("throttled"), "SOURCE_THROTTLED"],
  ["Graph 401", graphError(401), "AUTH"],
  ["Graph 403", graphError(403, "Authorization_RequestDenied"), "AUTH"],
  ["Graph 404", graphError(404, "Request_ResourceNotFound"), "NOT_FOUND"],
  ["Graph 429", graphError(429), "SOURCE_THROTTLED"],
  ["Graph 503", graphError(503), "SOURCE_UNAVAILABLE"],
  ["Graph 400", graphError(400), "SOURCE_REJECTED"],
  ["Graph unreachable", httpError("network"), "SOURCE_UNREACHABLE"],
  ["Graph timeout", httpError("timeout"), "SOURCE_UNREACHABLE"],
  ["cancelled", httpError("aborted"), "CANCELLED"],
  ["target 401", scimError(401), "AUTH"],
  ["target 403", scimError(403), "AUTH"],
  ["target 404", scimError(404), "NOT_FOUND"],
  ["target 409", scimError(409), "TARGET_REJECTED"],
  ["target 400", scimError(400), "TARGET_REJECTED"],
  ["target 429", scimError(429), "TARGET_THROTTLED"],
  ["target 502", scimError(502), "TARGET_UNAVAILABLE"],
  ["target unreachable", fromHttpError(httpError("network")), "TARGET_UNREACHABLE"],
  ["target http:// to a remote host", fromHttpError(httpError("insecureUrl")), "CONFIG"],
  ["a bug", new TypeError("cannot read properties of undefined"), "INTERNAL"],
  ["a thrown string", "boom", "INTERNAL"],
];

describe("toAppError: one mapping for the window and the CLI", () => {
  it.each(cases)("%s → its code, keeping the engine's message", (_name, error, code) => {
    const mapped = toAppError(error);
    expect(mapped.code).toBe(code);
    expect(mapped.code).toMatch(/^[A-Z][A-Z_]+$/);
    const graphWords = error instanceof GraphError && [401, 404, 400].includes(error.status);
    if (code !== "INTERNAL" && error instanceof Error && !graphWords) expect(mapped.message).toBe(error.message);
    if (code !== "INTERNAL") expect(mapped.message).not.toMatch(/unexpected problem/i);
  });

  it("tells a bug in general words, with what was running and the error itself as detail", () => {
    expect(toAppError(new TypeError("x is undefined"), "target.browse")).toEqual({
      code: "INTERNAL",
      message: expect.stringContaining('unexpected problem while running "target.browse"'),
      detail: "TypeError: x is undefined",
    });
  });

  it("keeps Graph's admin wording (the missing permission) and puts Graph's own text and ids in the detail", () => {
    const mapped = toAppError(graphError(403, "Authorization_RequestDenied"));
    expect(mapped.message).toMatch(/lacks the application permission User\.Read\.All/);
    expect(mapped.detail).toBe(
      "Microsoft Graph 403 Authorization_RequestDenied: Graph's words (request-id none, client-request-id c-1)",
    );
    expect(toAppError(graphError(401)).message).toMatch(/did not accept the app's sign-in \(401\)/);
  });

  it("keeps errorKind for callers that branch: the kind of each code, auth for every refused credential", () => {
    for (const [, error, code] of cases) expect(errorKind(error)).toBe(ERROR_CODES[code]);
    expect(cases.filter(([, error]) => errorKind(error) === "auth").map(([name]) => name)).toEqual([
      "AADSTS invalid secret",
      "Graph 401",
      "Graph 403",
      "target 401",
      "target 403",
    ]);
    expect(new EngineError("auth", "refused").code).toBe("AUTH");
    expect(new EngineError("NOT_FOUND", "no such user").kind).toBe("notFound");
    expect(new EngineError("notFound", "no such user").code).toBe("NOT_FOUND");
  });
});
