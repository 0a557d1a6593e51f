import type { RequestHandler } from "express";
import type { RecordedScimRequest } from "./types";

/** Keeps the last `limit` requests for assertions; a dropped connection is recorded with status 0. */
export class RequestRecorder {
  readonly requests: RecordedScimRequest[] = [];

  constructor(private readonly limit: number) {}

  clear(): void {
    this.requests.length = 0;
  }

  /** Mount first under the base path: req.url is then relative to the tenant URL. */
  readonly start: RequestHandler = (req, res, next) => {
    const arrived = new Date();
    const started = performance.now();
    const url = new URL(req.url, "http://tenant");
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      this.requests.push({
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: res.locals.clientBody as unknown,
        status: res.writableFinished ? res.statusCode : 0,
        time: arrived.toISOString(),
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      });
      if (this.requests.length > this.limit) this.requests.splice(0, this.requests.length - this.limit);
    };
    res.on("finish", record);
    res.on("close", record);
    next();
  };

  /** Mount right after JSON parsing: keeps the body as the client sent it, before quirk normalisation. */
  readonly captureBody: RequestHandler = (req, res, next) => {
    res.locals.clientBody = req.body;
    next();
  };
}
