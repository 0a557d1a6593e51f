import { Router, type Request, type Response } from "express";
import SCIMMY from "scimmy";
import { asScim, scimError } from "./errors";
import { listGroups, presentGroup, projection, wantsMembers } from "./listing";
import { normalisePatch } from "./patch-normaliser";
import type { ServerContext } from "./context";
import type { GroupAttributes, MemberRef, MemberStep } from "./store";
import { PATCH_OP_SCHEMA, type ScimGroup } from "./types";

/*
 * Groups are served here rather than through scimmy's resource routes: scimmy coerces every member of a group on each
 * read, PATCH and write (~50 µs per member, a 100-member remove from a 20,000-member group took 20 s). scimmy still
 * validates the PatchOp message, formats and checks the non-member attributes, and applies their PATCH operations.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function groupAttributes(data: Record<string, unknown>): GroupAttributes {
  try {
    const { displayName, externalId } = JSON.parse(
      JSON.stringify(new SCIMMY.Schemas.Group(data, "in")),
    ) as GroupAttributes;
    return { displayName, ...(externalId !== undefined ? { externalId } : {}) };
  } catch (ex) {
    throw asScim(ex);
  }
}

function memberRefs(value: unknown, where: string): MemberRef[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every(isObject))
    throw scimError(400, "invalidValue", `${where}: members must be objects like {"value": "<id>"}`);
  return list as MemberRef[];
}

/** Splits a body into its members and the rest; members must be a list of {value} objects. */
function splitMembers(body: unknown, what: string): [Record<string, unknown>, MemberRef[] | undefined] {
  if (!isObject(body)) throw scimError(400, "invalidSyntax", `${what} expects a JSON object body`);
  const key = Object.keys(body).find((k) => k.toLowerCase() === "members");
  if (key === undefined) return [body, undefined];
  const { [key]: members, ...rest } = body;
  if (!Array.isArray(members)) throw scimError(400, "invalidValue", `${what}: 'members' must be a list`);
  return [rest, memberRefs(members, what)];
}

const MEMBERS_FILTER = /^members\[(.*)\]$/i;
const VALUE_EQ = /^\s*value\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i;

/** A PATCH operation on `members` as a MemberStep; undefined when the operation is about something else. */
function memberStep(op: string, path: string, value: unknown, n: number): MemberStep | undefined {
  const where = `Operation ${n}`;
  if (/^members$/i.test(path)) {
    if (op !== "remove") return { op: op as "add" | "replace", refs: memberRefs(value, where) };
    return value === undefined
      ? { op: "remove" }
      : { op: "remove", ids: memberRefs(value, where).map((m) => String(m.value)) };
  }
  const filtered = MEMBERS_FILTER.exec(path);
  if (filtered) {
    if (op !== "remove") throw scimError(400, "invalidPath", `${where}: only 'remove' is supported on '${path}'`);
    const inner = filtered[1] as string;
    const byValue = VALUE_EQ.exec(inner);
    if (byValue) return { op: "remove", ids: [JSON.parse(byValue[1] as string) as string] };
    const filter = new SCIMMY.Types.Filter(inner);
    return { op: "remove", where: (m) => filter.match([m]).length > 0 };
  }
  if (/^members\./i.test(path))
    throw scimError(400, "invalidPath", `${where}: '${path}' cannot be patched; patch 'members'`);
  return undefined;
}

interface SplitPatch {
  steps: MemberStep[];
  others: Record<string, unknown>[];
}

function splitPatch(operations: Record<string, unknown>[]): SplitPatch {
  const out: SplitPatch = { steps: [], others: [] };
  operations.forEach((operation, i) => {
    const op = String(operation.op).toLowerCase();
    if (typeof operation.path === "string") {
      const step = memberStep(op, operation.path, operation.value, i + 1);
      if (step) out.steps.push(step);
      else out.others.push(operation);
      return;
    }
    const [rest, members] = splitMembers(operation.value, `Operation ${i + 1}`);
    if (members) out.steps.push({ op: op === "replace" ? "replace" : "add", refs: members });
    if (!members || Object.keys(rest).length) out.others.push({ ...operation, value: rest });
  });
  return out;
}

export function groupRoutes(ctx: ServerContext): Router {
  const router = Router();
  const base = () => ctx.tenantUrl;
  const found = (id: string): ScimGroup => {
    const g = ctx.store.getGroup(id, false);
    if (!g) throw scimError(404, null, `Group ${id} not found`);
    return g;
  };
  const answer = (req: Request, res: Response, id: string, status = 200) => {
    const withMembers = wantsMembers(req.query);
    const group = ctx.store.getGroup(id, withMembers) as ScimGroup;
    res.status(status).send(presentGroup(group, base(), projection(req.query), withMembers));
  };

  router.get("/", (req, res) => {
    res.send(listGroups(ctx.store, req.query, base(), ctx.limits));
  });

  router.get("/:id", (req, res) => {
    found(req.params.id);
    answer(req, res, req.params.id);
  });

  router.post("/", (req, res) => {
    const [rest, members] = splitMembers(req.body, "POST /Groups");
    const group = ctx.store.createGroup(groupAttributes(rest), members);
    res.location(`${base()}/Groups/${group.id}`);
    answer(req, res, group.id, 201);
  });

  router.put("/:id", (req, res) => {
    found(req.params.id);
    const [rest, members] = splitMembers(req.body, "PUT /Groups");
    ctx.store.updateGroup(req.params.id, groupAttributes(rest), [{ op: "replace", refs: members ?? [] }]);
    answer(req, res, req.params.id);
  });

  router.patch("/:id", async (req, res) => {
    const current = found(req.params.id);
    const body = normalisePatch(req.body, { strict: ctx.strict, current });
    const message = new SCIMMY.Messages.PatchOp(body as ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0]);
    const { steps, others } = splitPatch(message.Operations as unknown as Record<string, unknown>[]);
    const { members: _m, ...attributesOnly } = current;
    let attrs: GroupAttributes = groupAttributes(attributesOnly as unknown as Record<string, unknown>);
    if (others.length) {
      const instance = new SCIMMY.Schemas.Group(attributesOnly, "out", `${base()}/Groups`);
      const patch = new SCIMMY.Messages.PatchOp({ schemas: [PATCH_OP_SCHEMA], Operations: others } as never);
      await patch
        .apply(instance, async (patched) => {
          attrs = groupAttributes(JSON.parse(JSON.stringify(patched)) as Record<string, unknown>);
          return patched;
        })
        .catch((ex: unknown) => Promise.reject(asScim(ex)));
    }
    ctx.store.updateGroup(req.params.id, attrs, steps);
    // RFC 7644 §3.5.2: 200 with the resource or 204; the resource only when the client asked for a projection.
    if (req.query.attributes === undefined && req.query.excludedAttributes === undefined) res.status(204).end();
    else answer(req, res, req.params.id);
  });

  router.delete("/:id", (req, res) => {
    ctx.store.deleteGroup(req.params.id);
    res.status(204).end();
  });

  return router;
}
