import type { z } from "zod";
import { isMethodName, methods } from "../../shared/ipc/contract";
import type { MethodName, ParsedRequestOf, ResultOf } from "../../shared/ipc/contract";
import type { AppError, Result } from "../../shared/ipc/result";
import { fail, ok } from "../../shared/ipc/result";
import { toAppError } from "../engine/service/errors";
import { nestsDeeperThan } from "./depth";
import { redactSecrets, redactText } from "./redact";

/** Far more than any request of the contract needs (a profile's rules are a few levels deep). */
const MAX_REQUEST_DEPTH = 64;

/** The handler table, typed from the contract: each handler gets its parsed request and returns its result. */
export type Handlers = { [M in MethodName]: (request: ParsedRequestOf<M>) => Promise<ResultOf<M>> | ResultOf<M> };

export type Dispatch = (method: unknown, payload: unknown, sender: unknown) => Promise<Result<unknown>>;

export interface DispatcherOptions {
  /** The transport's notion of "our renderer": Electron checks the frame, browser mode the authenticated socket. */
  isTrustedSender(sender: unknown): boolean;
  /** Told about handler crashes (the renderer only gets a generic message), e.g. to write the app log. */
  onInternalError?(method: MethodName, error: unknown): void;
}

/** The one mapper (shared with the CLI) gives the code and message; only bugs are told to onInternalError. */
function toWindowError(
  method: MethodName,
  error: unknown,
  onInternalError?: DispatcherOptions["onInternalError"],
): AppError {
  const mapped = toAppError(error, method);
  if (mapped.code === "INTERNAL") onInternalError?.(method, error);
  return {
    code: mapped.code,
    message: redactText(mapped.message),
    ...(mapped.detail === undefined ? {} : { detail: redactText(mapped.detail) }),
  };
}

const describeIssues = (issues: readonly z.core.$ZodIssue[]): string =>
  issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "request"}: ${issue.message}`).join("; ");

/**
 * The ONE wrapper every handler is registered through. Whatever the transport, a call is: known method → trusted sender →
 * request parsed by the method's schema → handler → result checked against the contract and scrubbed of secrets.
 * Nothing throws across the boundary: failures come back as `{ok: false, error}`.
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions): Dispatch {
  return async (method, payload, sender) => {
    if (!isMethodName(method)) {
      return fail(
        "UNKNOWN_METHOD",
        "The app asked for an operation this version does not know. Restart ProvisionDesk.",
        `method: ${String(method)}`,
      );
    }
    if (!options.isTrustedSender(sender)) {
      return fail(
        "UNAUTHORIZED_SENDER",
        "The request did not come from the ProvisionDesk window, so it was refused.",
        `method: ${method}`,
      );
    }
    if (nestsDeeperThan(payload, MAX_REQUEST_DEPTH)) {
      return fail(
        "VALIDATION",
        `The request for "${method}" nests deeper than ${MAX_REQUEST_DEPTH} levels, so it was not read.`,
      );
    }
    const { request, result } = methods[method];
    const parsed = request.safeParse(payload ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: "VALIDATION",
          message: `The request for "${method}" was not valid: ${describeIssues(parsed.error.issues)}.`,
          detail: JSON.stringify(parsed.error.issues),
        },
      };
    }
    let value: unknown;
    try {
      // Each handler gets exactly its own request type; TypeScript cannot correlate the two lookups by `method`.
      const handler = handlers[method] as (request: unknown) => unknown;
      value = await handler(parsed.data);
    } catch (error) {
      return { ok: false, error: toWindowError(method, error, options.onInternalError) };
    }
    // Validating results always (not only in development) also strips keys the contract does not declare.
    const checked = (result as z.ZodType).safeParse(value);
    if (!checked.success) {
      options.onInternalError?.(method, checked.error);
      return fail(
        "INTERNAL",
        `ProvisionDesk produced an answer for "${method}" it could not show. Try again; if it keeps happening, send the app log to support.`,
        describeIssues(checked.error.issues),
      );
    }
    return ok(redactSecrets(checked.data));
  };
}
