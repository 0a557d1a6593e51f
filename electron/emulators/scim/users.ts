import { Router } from "express";
import SCIMMY from "scimmy";
import type { ServerContext } from "./context";
import { asScim, scimError } from "./errors";
import { listUsers, presentUser, projection } from "./listing";
import { normalisePatch } from "./patch-normaliser";
import { userAttributes } from "./schemas";
import type { UserAttributes } from "./store";
import type { ScimUser } from "./types";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The body checked against the User schema (with the Splashtop extension) by scimmy. */
function validated(body: unknown, what: string): UserAttributes {
  if (!isObject(body)) throw scimError(400, "invalidSyntax", `${what} expects a JSON object body`);
  try {
    return userAttributes(new SCIMMY.Schemas.User(body, "in"));
  } catch (ex) {
    throw asScim(ex);
  }
}

/**
 * Users: reads (indexed eq filters, correct paging), POST (with the Location header RFC 7644 §3.3 asks for, which
 * scimmy-routers does not set) and PATCH (Entra's quirks, then scimmy's PatchOp) are served here, with half of scimmy's
 * coercions per request; PUT, DELETE and /.search go to scimmy-routers and the handlers in schemas.ts.
 */
export function userRoutes(ctx: ServerContext): Router {
  const router = Router();
  const found = (id: string): ScimUser => {
    const user = ctx.store.getUser(id);
    if (!user) throw scimError(404, null, `User ${id} not found`);
    return user;
  };

  router.get("/", (req, res) => {
    res.send(listUsers(ctx.store, req.query, ctx.tenantUrl, ctx.limits));
  });

  router.get("/:id", (req, res) => {
    res.send(presentUser(found(req.params.id), ctx.tenantUrl, projection(req.query)));
  });

  router.post("/", (req, res) => {
    const user = ctx.store.createUser(validated(req.body, "POST /Users"));
    res.location(`${ctx.tenantUrl}/Users/${user.id}`);
    res.status(201).send(presentUser(user, ctx.tenantUrl, projection(req.query)));
  });

  router.patch("/:id", async (req, res) => {
    const id = req.params.id;
    const body = normalisePatch(req.body, { strict: ctx.strict, current: found(id) });
    if (!isObject(body)) throw scimError(400, "invalidSyntax", "PATCH expects a PatchOp JSON object body");
    const message = new SCIMMY.Messages.PatchOp(body as ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0]);
    let saved = found(id);
    await message
      .apply(new SCIMMY.Schemas.User(saved, "out"), async (patched) => {
        saved = ctx.store.replaceUser(id, validated(JSON.parse(JSON.stringify(patched)), "PATCH"));
        return saved;
      })
      .catch((ex: unknown) => Promise.reject(asScim(ex)));
    // RFC 7644 §3.5.2: 200 with the resource (subject to attributes/excludedAttributes).
    res.send(presentUser(saved, ctx.tenantUrl, projection(req.query)));
  });

  // scimmy keeps one process-wide base path: pin locations in its answers (PUT) to this server's tenant URL.
  router.use((_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const resource = body as { id?: unknown; meta?: object } | undefined;
      if (typeof resource?.id !== "string" || !resource.meta) return json(body);
      return json({ ...resource, meta: { ...resource.meta, location: `${ctx.tenantUrl}/Users/${resource.id}` } });
    };
    next();
  });

  return router;
}
