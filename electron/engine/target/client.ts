/** The SCIM 2.0 client the engine provisions through (requests shaped as Entra sends them). */
import { randomUUID } from "node:crypto";
import { HttpError, type HttpClient, type HttpResponse, type RequestTrace } from "../http";
import { discoverSchema, type DiscoveredSchema } from "./discover";
import {
  ScimError,
  appName,
  fromHttpError,
  fromResponse,
  type ErrorContext,
  type Preset,
  type ResourceType,
} from "./errors";
import type { Dialect, PatchOperation } from "./patch-ops";
import { eqFilter } from "./paths";
import { PATCH_OP } from "./urns";
import type { ConnectionCheck } from "../../../shared/ipc/model";

export interface ScimResource {
  id: string;
  [attribute: string]: unknown;
}

export interface ServiceProviderConfig {
  patch: boolean;
  filter: boolean;
  filterMaxResults?: number;
  bulkMaxOperations?: number;
}

export interface ScimClientOptions {
  tenantUrl: string;
  token: string;
  dialect: Dialect;
  preset: Preset;
  http: HttpClient;
}

export interface ScimClient {
  readonly dialect: Dialect;
  readonly preset: Preset;
  testConnection(): Promise<ConnectionCheck[]>;
  serviceProviderConfig(): Promise<ServiceProviderConfig>;
  find(type: ResourceType, attribute: string, value: string): Promise<ScimResource[]>;
  listAll(
    type: ResourceType,
    options?: { excludedAttributes?: string[]; pageSize?: number },
  ): AsyncIterable<ScimResource[]>;
  get(
    type: ResourceType,
    id: string,
    options?: { attributes?: string[]; excludedAttributes?: string[] },
  ): Promise<ScimResource | null>;
  create(type: ResourceType, body: object): Promise<ScimResource>;
  patch(type: ResourceType, id: string, operations: PatchOperation[]): Promise<void>;
  delete(type: ResourceType, id: string): Promise<void>;
  discoverSchema(type?: ResourceType): Promise<DiscoveredSchema>;
  /** SCIM requests sent (a request retried inside the HTTP layer counts once). */
  readonly requestCount: number;
  /** The same client (same count and configuration) recording every request it sends in `trace`. */
  traced(trace: RequestTrace): ScimClient;
}

/** What every view of one client shares. */
interface Shared {
  requestCount: number;
  configPromise?: Promise<ServiceProviderConfig>;
  /**
   * While the configuration is read, and for good once it refused the token: settles with the refusal (later requests
   * fail with it unsent, one refused request per cycle), else with nothing once the target answered.
   */
  configReading?: Promise<ScimError | undefined>;
}

/** What the target answers when it does not publish ServiceProviderConfig: what Entra assumes. */
const ASSUMED_CONFIG: ServiceProviderConfig = { patch: true, filter: true };
const DEFAULT_PAGE_SIZE = 100;

function listResources(body: unknown): { resources: ScimResource[]; total?: number } | undefined {
  if (!body || typeof body !== "object") return undefined;
  const b = body as Record<string, unknown>;
  const resources = b.Resources ?? b.resources ?? (b.totalResults === 0 ? [] : undefined);
  if (!Array.isArray(resources)) return undefined;
  return {
    resources: resources as ScimResource[],
    ...(typeof b.totalResults === "number" ? { total: b.totalResults } : {}),
  };
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && value > 0 ? value : undefined;
}

export function createScimClient(options: ScimClientOptions): ScimClient {
  return scimClient(options, { requestCount: 0 });
}

function scimClient(options: ScimClientOptions, shared: Shared, trace?: RequestTrace): ScimClient {
  const base = options.tenantUrl.replace(/\/+$/, "");
  const { http, preset, dialect } = options;
  const app = appName(preset);

  async function send(method: string, path: string, ctx: ErrorContext, json?: object): Promise<HttpResponse> {
    // A request made while the configuration is read waits for that answer: a refused token is one refused request.
    const refused = shared.configReading && (await shared.configReading);
    if (refused) throw refused;
    shared.requestCount++;
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token}`,
      accept: "application/scim+json, application/json",
    };
    if (json !== undefined) headers["content-type"] = "application/scim+json";
    try {
      return await http.request({
        method,
        url: `${base}${path}`,
        headers,
        ...(json !== undefined ? { json } : {}),
        ...(trace ? { trace } : {}),
      });
    } catch (err) {
      if (err instanceof HttpError) throw fromHttpError(err);
      throw err;
    }
  }

  function expectList(res: HttpResponse, ctx: ErrorContext): { resources: ScimResource[]; total?: number } {
    if (res.status !== 200) throw fromResponse(res, ctx);
    const list = listResources(res.body);
    if (!list) {
      throw new ScimError({
        kind: "invalid",
        code: "InvalidResponse",
        status: 200,
        message: `${app} answered the ${ctx.type} query without a SCIM ListResponse. Check that the Tenant URL is the SCIM base URL.`,
        detail: String(JSON.stringify(res.body)).slice(0, 300),
      });
    }
    // A resource without an id cannot be linked or updated: refuse the answer rather than match against it.
    const idless = list.resources.filter((r) => typeof r?.id !== "string" || r.id === "").length;
    if (idless > 0) {
      throw new ScimError({
        kind: "invalid",
        code: "InvalidResponse",
        status: 200,
        message: `${app} answered the ${ctx.type} query with ${idless} of ${list.resources.length} resources without an id, so they cannot be matched or updated. Report this to the app's vendor.`,
        detail: String(JSON.stringify(list.resources[0])).slice(0, 300),
      });
    }
    return list;
  }

  const idPath = (type: ResourceType, id: string) => `/${type}/${encodeURIComponent(id)}`;
  const query = (params: Record<string, string | undefined>) =>
    Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`)
      .join("&");

  async function readConfig(): Promise<ServiceProviderConfig> {
    const res = await send("GET", "/ServiceProviderConfig", {
      preset,
      type: "Users",
      action: "read the configuration of",
    });
    if (res.status === 404 || res.status === 501) return ASSUMED_CONFIG;
    if (res.status !== 200 || !res.body || typeof res.body !== "object")
      throw fromResponse(res, { preset, type: "Users", action: "read the configuration of" });
    const b = res.body as Record<string, Record<string, unknown> | undefined>;
    const filterMaxResults = positive(b.filter?.maxResults);
    const bulkMaxOperations = positive(b.bulk?.maxOperations);
    return {
      patch: b.patch?.supported !== false,
      filter: b.filter?.supported !== false,
      ...(filterMaxResults ? { filterMaxResults } : {}),
      ...(bulkMaxOperations ? { bulkMaxOperations } : {}),
    };
  }

  const client: ScimClient = {
    dialect,
    preset,
    get requestCount() {
      return shared.requestCount;
    },

    traced: (into) => scimClient(options, shared, into),

    serviceProviderConfig() {
      if (shared.configPromise) return shared.configPromise;
      const read = readConfig(); // sent before configReading is set: the one request that does not wait for it
      shared.configPromise = read.catch((err: unknown) => {
        shared.configPromise = undefined; // a failure (network, token) is not the target's answer: ask again next time
        throw err;
      });
      const reading = read.then(
        () => undefined,
        (err: unknown) => (err instanceof ScimError && err.kind === "unauthorized" ? err : undefined),
      );
      shared.configReading = reading;
      void reading.then((refusal) => {
        if (!refusal && shared.configReading === reading) shared.configReading = undefined;
      });
      return shared.configPromise;
    },

    async find(type, attribute, value) {
      const ctx = { preset, type, action: "look up" };
      const excluded = type === "Groups" ? "members" : undefined;
      const res = await send(
        "GET",
        `/${type}?${query({ excludedAttributes: excluded, filter: eqFilter(attribute, value) })}`,
        ctx,
      );
      return expectList(res, ctx).resources;
    },

    async *listAll(type, opts = {}) {
      const ctx = { preset, type, action: "list" };
      const count =
        opts.pageSize ??
        Math.min((await client.serviceProviderConfig()).filterMaxResults ?? DEFAULT_PAGE_SIZE, DEFAULT_PAGE_SIZE);
      const excluded = opts.excludedAttributes?.length ? opts.excludedAttributes.join(",") : undefined;
      for (let startIndex = 1; ;) {
        const res = await send(
          "GET",
          `/${type}?${query({ excludedAttributes: excluded, startIndex: String(startIndex), count: String(count) })}`,
          ctx,
        );
        const { resources, total } = expectList(res, ctx);
        if (resources.length) yield resources;
        startIndex += resources.length;
        // Without totalResults, a short page is the last one.
        if (resources.length === 0 || (total !== undefined ? startIndex > total : resources.length < count)) return;
      }
    },

    async get(type, id, opts = {}) {
      const params = query({
        attributes: opts.attributes?.length ? opts.attributes.join(",") : undefined,
        excludedAttributes: opts.excludedAttributes?.length ? opts.excludedAttributes.join(",") : undefined,
      });
      const res = await send("GET", idPath(type, id) + (params ? `?${params}` : ""), {
        preset,
        type,
        action: "read",
        id,
      });
      if (res.status === 404) return null;
      if (res.status !== 200) throw fromResponse(res, { preset, type, action: "read", id });
      return res.body as ScimResource;
    },

    async create(type, body) {
      const ctx = { preset, type, action: "create" };
      const res = await send("POST", `/${type}`, ctx, body);
      if (res.status !== 201 && res.status !== 200) throw fromResponse(res, ctx);
      const created = res.body as Partial<ScimResource> | undefined;
      if (!created || typeof created.id !== "string" || !created.id) {
        throw new ScimError({
          kind: "invalid",
          code: "InvalidResponse",
          status: res.status,
          message: `${app} accepted the new ${type === "Users" ? "user" : "group"} but did not return its id, so it cannot be updated later. Report this to the app's vendor.`,
        });
      }
      return created as ScimResource;
    },

    async patch(type, id, operations) {
      if (operations.length === 0) return;
      const ctx = { preset, type, action: "update", id, dialect };
      const res = await send("PATCH", idPath(type, id), ctx, { schemas: [PATCH_OP], Operations: operations });
      if (res.status !== 200 && res.status !== 204) throw fromResponse(res, ctx);
    },

    async delete(type, id) {
      const ctx = { preset, type, action: "delete", id };
      const res = await send("DELETE", idPath(type, id), ctx);
      if (res.status !== 204 && res.status !== 200) throw fromResponse(res, ctx);
    },

    discoverSchema(type = "Users") {
      return discoverSchema(type, preset, (path) => send("GET", path, { preset, type, action: "read the schema of" }));
    },

    async testConnection() {
      const checks: ConnectionCheck[] = [];
      const name = "Token and tenant URL";
      try {
        const res = await send("GET", `/Users?${query({ filter: eqFilter("userName", randomUUID()) })}`, {
          preset,
          type: "Users",
          action: "look up",
        });
        if (res.status === 404) {
          checks.push({
            name,
            ok: false,
            message: `${base}/Users was not found (404): the Tenant URL is not a SCIM endpoint.${preset === "splashtop" ? " Splashtop's is https://my.splashtop.com/scim/v1 (EU: my.splashtop.eu, Oceania: my.splashtop.nr), or the SCIM Base URL your gateway shows." : " Copy the SCIM base URL from the app's admin settings."}`,
          });
          return checks;
        }
        const { resources } = expectList(res, { preset, type: "Users", action: "look up" });
        if (resources.length > 0) {
          checks.push({
            name,
            ok: false,
            message: `${app} returned users for a random userName: it does not apply filters, so users cannot be matched safely.`,
          });
          return checks;
        }
        checks.push({ name, ok: true, message: `${app} accepted the token and answered a user query.` });
      } catch (err) {
        if (!(err instanceof ScimError)) throw err;
        checks.push({
          name,
          ok: false,
          message: err.message,
          refused: err.kind === "unauthorized" || err.kind === "forbidden",
          ...(err.detail ? { detail: err.detail } : {}),
        });
        return checks;
      }
      try {
        const config = await client.serviceProviderConfig();
        const parts = [
          `PATCH ${config.patch ? "supported" : "not supported"}`,
          `filtering ${config.filter ? "supported" : "not supported"}`,
        ];
        if (config.bulkMaxOperations) parts.push(`up to ${config.bulkMaxOperations} operations per request`);
        checks.push({
          name: "Capabilities",
          ok: config.patch && config.filter,
          message:
            config.patch && config.filter
              ? `${parts.join(", ")}.`
              : `${app} says ${parts.join(", ")}: provisioning needs both to match and update objects.`,
        });
      } catch (err) {
        if (!(err instanceof ScimError)) throw err;
        checks.push({
          name: "Capabilities",
          ok: false,
          message: err.message,
          ...(err.detail ? { detail: err.detail } : {}),
        });
      }
      return checks;
    },
  };
  return client;
}
