import { Router } from "express";
import type { ServerContext } from "./context";
import { scimError } from "./errors";
import { listUsers, presentUser, projection } from "./listing";
import { normalisePatch } from "./patch-normaliser";

/**
 * What we add in front of scimmy's User routes: reads (indexed eq filters, correct paging, cached representations),
 * Entra's PATCH quirks, and the Location header RFC 7644 §3.3 asks for on 201, which scimmy-routers does not set.
 */
export function userRoutes(ctx: ServerContext): Router {
  const router = Router();

  router.get("/", (req, res) => {
    res.send(listUsers(ctx.store, req.query, ctx.tenantUrl, ctx.limits));
  });

  router.get("/:id", (req, res) => {
    const user = ctx.store.getUser(req.params.id);
    if (!user) throw scimError(404, null, `User ${req.params.id} not found`);
    res.send(presentUser(user, ctx.tenantUrl, projection(req.query)));
  });

  router.patch("/:id", (req, _res, next) => {
    req.body = normalisePatch(req.body, { strict: ctx.strict, current: ctx.store.getUser(req.params.id) });
    next();
  });

  router.use((req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const resource = body as { id?: unknown; meta?: object } | undefined;
      if (typeof resource?.id !== "string") return json(body);
      // scimmy keeps one process-wide base path; pin the location to this server's tenant URL.
      const location = `${ctx.tenantUrl}/Users/${resource.id}`;
      if (req.method === "POST" && res.statusCode === 201) res.location(location);
      return json(resource.meta ? { ...resource, meta: { ...resource.meta, location } } : resource);
    };
    next();
  });

  return router;
}
