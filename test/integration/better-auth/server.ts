// A real third-party SCIM 2.0 server for the integration tests: Better Auth with its SCIM plugin (@better-auth/scim),
// on SQLite through better-sqlite3, on loopback, with a bearer token issued by the plugin's managed connections.
import Database from "better-sqlite3";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { scim } from "@better-auth/scim";

export interface RecordedRequest {
  method: string;
  /** Relative to the tenant URL, without the query, e.g. "/Groups/abc". */
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface BetterAuthScim {
  tenantUrl: string;
  token: string;
  /** Every SCIM request the server answered, oldest first. */
  readonly requests: RecordedRequest[];
  /** GET through the SCIM API with the token (not recorded). */
  read(path: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

const SCOPES = ["scim.users.read", "scim.users.write", "scim.groups.read", "scim.groups.write"] as const;
const BASE_PATH = "/api/auth/scim/v2";

export async function startBetterAuthScim(): Promise<BetterAuthScim> {
  const sqlite = new Database(":memory:");
  const auth = betterAuth({
    database: sqlite,
    baseURL: "http://127.0.0.1",
    secret: randomBytes(32).toString("base64url"),
    logger: { disabled: true },
    telemetry: { enabled: false },
    plugins: [
      scim({ connections: [], managedConnections: { credentialHashSecret: randomBytes(32).toString("base64url") } }),
    ],
  });
  await (await getMigrations(auth.options)).runMigrations();
  const { token } = await auth.api.createSCIMManagedConnection({
    body: {
      creationRequestId: `provisiondesk-${randomBytes(8).toString("hex")}`,
      provisioningDomainId: "provisiondesk-tests",
      actorId: "integration-tests",
      scopes: [...SCOPES],
      expiresAt: new Date(Date.now() + 24 * 3600_000),
    },
  });

  const requests: RecordedRequest[] = [];
  const handler = toNodeHandler(auth);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname.startsWith(BASE_PATH) && req.headers["x-test-read"] === undefined) {
      const entry: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname.slice(BASE_PATH.length),
        query: Object.fromEntries(url.searchParams),
        status: 0,
      };
      requests.push(entry);
      res.on("finish", () => (entry.status = res.statusCode));
    }
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const tenantUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${BASE_PATH}`;

  return {
    tenantUrl,
    token,
    requests,
    async read(path) {
      const res = await fetch(`${tenantUrl}${path}`, {
        headers: { authorization: `Bearer ${token}`, "x-test-read": "1" },
      });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      sqlite.close();
    },
  };
}

/** Every resource of a type, through the SCIM API's paging (Better Auth answers at most 100 per page). */
export async function readAll(
  target: BetterAuthScim,
  type: "Users" | "Groups",
  params = "",
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let start = 1; ;) {
    const page = await target.read(`/${type}?startIndex=${start}&count=100${params}`);
    const resources = (page.Resources ?? []) as Record<string, unknown>[];
    out.push(...resources);
    start += resources.length;
    if (resources.length === 0 || start > Number(page.totalResults)) return out;
  }
}
