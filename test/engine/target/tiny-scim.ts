/** A minimal recording SCIM server for client tests (the full emulator lives in electron/emulators/scim). */
import type { ServerResponse } from "node:http";
import { startServer, type LocalServer, type Recorded } from "../http/local-server";

type Res = Record<string, unknown> & { id: string };

export interface TinyScim extends LocalServer {
  tenantUrl: string;
  token: string;
  users: Map<string, Res>;
  groups: Map<string, Res>;
  /** Queue a failure: the next unanswered request gets this status with a SCIM error body. */
  failNext(status: number, detail?: string, scimType?: string): void;
  /** Parsed JSON bodies of requests matching method and path prefix. */
  bodies(method: string, pathPrefix: string): unknown[];
}

function scim(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) return void res.writeHead(status).end();
  res.writeHead(status, { "content-type": "application/scim+json" });
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, detail: string, scimType?: string): void {
  scim(res, status, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
    status: String(status),
    detail,
    ...(scimType ? { scimType } : {}),
  });
}

export async function startTinyScim(options: { serviceProviderConfig?: unknown } = {}): Promise<TinyScim> {
  const token = "tiny-token";
  const users = new Map<string, Res>();
  const groups = new Map<string, Res>();
  const failures: { status: number; detail: string; scimType?: string }[] = [];
  let nextId = 1;

  const handle = (req: Recorded, res: ServerResponse) => {
    const f = failures.shift();
    if (f) return error(res, f.status, f.detail, f.scimType);
    if (req.headers.authorization !== `Bearer ${token}`) return error(res, 401, "Invalid token");
    const url = new URL(req.url, "http://x");
    const [, , , type, id] = url.pathname.split("/"); // /scim/v1/<type>/<id>
    if (type === "ServiceProviderConfig")
      return options.serviceProviderConfig === undefined
        ? error(res, 404, "none")
        : scim(res, 200, options.serviceProviderConfig);
    const store = type === "Users" ? users : type === "Groups" ? groups : undefined;
    if (!store) return error(res, 404, "no such endpoint");
    const unique = type === "Users" ? "userName" : "displayName";

    if (req.method === "GET" && !id) {
      let all = [...store.values()];
      const filter = url.searchParams.get("filter");
      if (filter) {
        const m = /^(\w+) eq ("(?:[^"\\]|\\.)*")$/.exec(filter);
        if (!m) return error(res, 400, "bad filter", "invalidFilter");
        const wanted = JSON.parse(m[2] as string) as string;
        all = all.filter((r) => r[m[1] as string] === wanted);
      }
      const start = Number(url.searchParams.get("startIndex") ?? 1);
      const count = Number(url.searchParams.get("count") ?? 1000);
      const page = all.slice(start - 1, start - 1 + count);
      return scim(res, 200, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        totalResults: all.length,
        startIndex: start,
        itemsPerPage: page.length,
        Resources: page,
      });
    }
    const found = id ? store.get(decodeURIComponent(id)) : undefined;
    if (req.method === "GET") return found ? scim(res, 200, found) : error(res, 404, "not found");
    if (req.method === "POST") {
      const body = JSON.parse(req.body) as Record<string, unknown>;
      if ([...store.values()].some((r) => r[unique] === body[unique]))
        return error(res, 409, `${unique} already exists`, "uniqueness");
      const created = { ...body, id: `id-${nextId++}` };
      store.set(created.id, created);
      return scim(res, 201, created);
    }
    if (!found) return error(res, 404, "not found");
    if (req.method === "PATCH") return scim(res, 204);
    if (req.method === "DELETE") {
      store.delete(found.id);
      return scim(res, 204);
    }
    error(res, 405, "method");
  };

  const server = await startServer(handle);
  return {
    ...server,
    tenantUrl: `${server.url}/scim/v1`,
    token,
    users,
    groups,
    failNext: (status, detail = "failure", scimType) =>
      void failures.push({ status, detail, ...(scimType ? { scimType } : {}) }),
    bodies: (method, prefix) =>
      server.requests
        .filter((r) => r.method === method && r.url.startsWith(`/scim/v1${prefix}`))
        .map((r) => JSON.parse(r.body) as unknown),
  };
}
