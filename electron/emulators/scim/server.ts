import express, { Router, type RequestHandler } from "express";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";
import type { ServerContext } from "./context";
import { errorBody, errorHandler, scimError } from "./errors";
import { FaultInjector } from "./faults";
import { groupRoutes } from "./groups";
import { openSqlitePersistence } from "./persistence";
import { RequestRecorder } from "./recorder";
import { declareScimResources, type ScimContext } from "./schemas";
import { ScimStore } from "./store";
import type { ScimServer, ScimServerOptions } from "./types";
import { userRoutes } from "./users";

function bearerAuth(token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req, res, next) => {
    const header = req.get("authorization");
    const given = Buffer.from(/^bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim() ?? "");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.setHeader("WWW-Authenticate", 'Bearer realm="SCIM"');
    const detail = header
      ? "The bearer token is not valid for this SCIM tenant; copy the Secret Token again from the app's admin portal"
      : "Missing 'Authorization: Bearer <secret token>' header";
    res.status(401).send(errorBody(401, undefined, detail));
  };
}

function serviceProviderConfig(ctx: ServerContext, bulkMaxOperations: number): RequestHandler {
  return (_req, res) => {
    res.send(
      new SCIMMY.Schemas.ServiceProviderConfig(
        {
          patch: { supported: true },
          bulk: { supported: false, maxOperations: bulkMaxOperations, maxPayloadSize: 1_048_576 },
          filter: { supported: true, maxResults: ctx.limits.maxPageSize },
          changePassword: { supported: false },
          sort: { supported: false },
          etag: { supported: false },
          authenticationSchemes: [
            {
              type: "oauthbearertoken",
              name: "OAuth Bearer Token",
              primary: true,
              description: "The Secret Token from the app's admin portal, sent as 'Authorization: Bearer <token>'",
              specUri: "https://datatracker.ietf.org/doc/html/rfc6750",
            },
          ],
        },
        `${ctx.tenantUrl}/ServiceProviderConfig`,
      ),
    );
  };
}

/** Starts a Splashtop-style SCIM 2.0 server on 127.0.0.1 (plain http). */
export async function startScimServer(options: ScimServerOptions = {}): Promise<ScimServer> {
  declareScimResources();
  const token = options.token ?? randomBytes(24).toString("base64url");
  const basePath = `/${(options.basePath ?? "/scim/v1").replace(/^\/+|\/+$/g, "")}`.replace(/^\/$/, "");
  const maxPageSize = options.maxPageSize ?? 100;
  const persistence = options.dbFile ? openSqlitePersistence(options.dbFile) : undefined;
  const store = new ScimStore(persistence?.sink);
  if (persistence) {
    const { users, groups } = persistence.load();
    store.load(users, groups);
  }
  const ctx: ServerContext = {
    store,
    tenantUrl: "",
    strict: options.strict ?? false,
    limits: { maxPageSize, defaultPageSize: Math.min(options.defaultPageSize ?? maxPageSize, maxPageSize) },
  };
  const faults = new FaultInjector();
  const recorder = new RequestRecorder(options.maxRecordedRequests ?? 10_000);

  const scim = Router();
  scim.use(recorder.start, (_req, res, next) => {
    res.type("application/scim+json");
    next();
  });
  scim.use(express.json({ type: ["application/scim+json", "application/json"], limit: "20mb" }), recorder.captureBody);
  scim.use(faults.middleware, bearerAuth(token));
  scim.get("/ServiceProviderConfig", serviceProviderConfig(ctx, options.bulkMaxOperations ?? 1000));
  scim.post("/Bulk", (_req, res) => {
    res.status(501).send(errorBody(501, undefined, "Bulk operations are not supported; send one request per change"));
  });
  if (options.requireFilter) {
    scim.get(["/Users", "/Groups"], (req, _res, next) => {
      if (req.query.filter !== undefined) return next();
      next(
        scimError(
          400,
          "tooMany",
          'This server does not list all resources; look them up with a filter, e.g. filter=userName eq "x"',
        ),
      );
    });
  }
  scim.use("/Users", userRoutes(ctx));
  scim.use("/Groups", groupRoutes(ctx));
  scim.use(
    new SCIMMYRouters({
      type: "bearer",
      handler: () => "scim-emulator", // bearerAuth above already checked the token
      context: (): ScimContext => ({ store }),
      baseUri: () => new URL(ctx.tenantUrl).origin,
    }),
  );
  scim.use(errorHandler);

  const app = express();
  app.disable("x-powered-by");
  app.use(basePath || "/", scim);
  app.use((req, res) => {
    res
      .status(404)
      .type("application/scim+json")
      .send(errorBody(404, undefined, `${req.path} is not under the SCIM base path ${basePath || "/"}`));
  });

  const server = createServer(app);
  // Idle connections are kept a minute, as the load balancers in front of hosted SCIM apps do (Node's default is 5 s).
  // With 5 s, a client that paused that long (the 100,000-user benchmark's engine on a loaded machine) sent its next
  // POST on a connection the emulator had just closed ("other side closed"), and that create failed.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  ctx.tenantUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`;

  return {
    tenantUrl: ctx.tenantUrl,
    token,
    get requests() {
      return recorder.requests;
    },
    clearRequests: () => recorder.clear(),
    get faults() {
      return faults.faults;
    },
    setFaults: (f) => faults.set(f),
    listUsers: () => structuredClone(store.allUsers()),
    listGroups: () =>
      store
        .allGroupIds()
        .map((id) => store.getGroup(id))
        .filter((g) => g !== undefined),
    reset: () => {
      store.clear();
      recorder.clear();
      faults.reset();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      persistence?.close();
    },
  };
}
