import SCIMMY from "scimmy";
import type { ErrorRequestHandler, Response } from "express";
import { ERROR_SCHEMA } from "./types";

export type ScimType =
  | "invalidSyntax"
  | "invalidFilter"
  | "invalidValue"
  | "invalidPath"
  | "noTarget"
  | "uniqueness"
  | "mutability"
  | "tooMany";

/** A SCIM error as scimmy throws them, so scimmy's routers and ours answer the same way. */
export function scimError(status: number, scimType: ScimType | null, detail: string): Error {
  return new SCIMMY.Types.Error(status, scimType as string, detail);
}

/** scimmy throws TypeError for values that break the schema; that is the client's invalidValue. */
export function asScim(ex: unknown): unknown {
  return ex instanceof TypeError ? scimError(400, "invalidValue", ex.message) : ex;
}

export function errorBody(status: number, scimType: string | undefined, detail: string): Record<string, unknown> {
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/** Maps any thrown value to an RFC 7644 §3.12 error response. */
export function sendError(res: Response, ex: unknown): void {
  const e = ex as { status?: number; scimType?: string; message?: string; type?: string };
  let status = ex instanceof SCIMMY.Types.Error && typeof e.status === "number" ? e.status : 500;
  let scimType = ex instanceof SCIMMY.Types.Error ? e.scimType : undefined;
  let detail = e.message ?? "Internal error";
  // body-parser errors: the client sent something that is not JSON, or too much of it.
  if (e.type === "entity.parse.failed") {
    [status, scimType, detail] = [400, "invalidSyntax", `Request body is not valid JSON: ${detail}`];
  } else if (e.type === "entity.too.large") {
    [status, scimType, detail] = [413, undefined, "Request body is too large"];
  } else if (!(ex instanceof SCIMMY.Types.Error) && typeof e.status === "number" && e.status >= 400 && e.status < 500) {
    status = e.status;
  }
  res
    .status(status)
    .type("application/scim+json")
    .send(errorBody(status, scimType, detail));
}

export const errorHandler: ErrorRequestHandler = (ex, _req, res, _next) => sendError(res, ex);
