// Microsoft Entra ID token endpoint + Microsoft Graph v1.0 emulator over HTTPS on 127.0.0.1.
// Follows Graph's documented wire formats so a client that passes against it has been held
// to what the real service does (paging, delta, @removed, members@delta, errors, throttling).

import type { Server } from "node:https";
import { createAdmin, type DirectoryAdmin } from "./admin";
import { assignmentRoutes } from "./assignments";
import { serverCertificate, type ServerCertificate } from "./certs";
import { DeltaService } from "./delta";
import { extensionRoutes } from "./extensions";
import { generateDirectory } from "./generator";
import { groupRoutes } from "./groups";
import { Pager } from "./paging";
import { createPrng } from "./prng";
import { ok, type Route } from "./router";
import { startHttpsServer } from "./server";
import { DirectoryStore } from "./store";
import { Throttle } from "./throttle";
import { TokenService } from "./token";
import type { ClientRegistration, Directory, EmulatorCounters, RecordedRequest } from "./types";
import { userRoutes } from "./users";

export {
  generateDirectory,
  DEFAULT_APP_ID,
  DEFAULT_TENANT_ID,
  DEFAULT_ACCESS_ROLE_ID,
  type GenerateDirectoryOptions,
} from "./generator";
export {
  generateClientCertificate,
  certificateThumbprints,
  serverCertificate,
  type ClientCertificate,
  type ServerCertificate,
} from "./certs";
export type { DirectoryAdmin } from "./admin";
export type { NewGroup, NewUser } from "./store";
export type * from "./types";

export const DEFAULT_CLIENT_ID = "00000000-0000-0000-0000-0000000000c1";
export const DEFAULT_CLIENT_SECRET = "emulator-secret~Zk8Q.pd-3vX_9wL";
export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
export const ALL_PERMISSIONS = ["User.Read.All", "Group.Read.All", "Application.Read.All"];

export interface GraphEmulatorOptions {
  tenantId?: string;
  /** The tenant to serve (from generateDirectory). Default: a generated 50-user tenant. */
  directory?: Directory;
  /** Registered app credentials. Default: DEFAULT_CLIENT_ID / DEFAULT_CLIENT_SECRET with ALL_PERMISSIONS. */
  clients?: ClientRegistration[];
  /** appId of the enterprise app whose assignments are served (overrides the directory's). */
  appId?: string;
  /** Default page size of collections and delta pages (Graph's $top default is 100). */
  pageSize?: number;
  /** Max member changes per delta page; groups with more members span several pages. Default 500. */
  deltaMembersPerPage?: number;
  /** Fraction of delta entries replayed on a later page of the same round (deterministic with seed). Default 0. */
  deltaReplayRate?: number;
  /** Chance that a delta page before the last is empty but has a nextLink (deterministic with seed). Default 0. */
  deltaEmptyPageRate?: number;
  seed?: number;
  port?: number;
  /** The TLS certificate to serve. Default: one generated for the process. */
  certificate?: ServerCertificate;
}

export interface GraphEmulator {
  /** "https://127.0.0.1:PORT": msal authority is `${authorityHost}/${tenantId}`. */
  authorityHost: string;
  /** "https://127.0.0.1:PORT": Graph paths are `${graphBaseUrl}/v1.0/...`. */
  graphBaseUrl: string;
  tenantId: string;
  appId: string;
  /** PEM of the emulator's self-signed TLS certificate: trust it as a custom CA. */
  caPem: string;
  /** `${authorityHost}/${tenantId}/oauth2/v2.0/token` */
  tokenEndpoint: string;
  /** JSON for msal's authorityMetadata (token_endpoint, authorization_endpoint, issuer, jwks_uri). */
  authorityMetadata: string;
  admin: DirectoryAdmin;
  /** Every request in arrival order (status filled in when answered). */
  requests: RecordedRequest[];
  counters(): EmulatorCounters;
  /** Page size used when a request has no $top; tests may change it on the fly. */
  pageSize: number;
  close(): Promise<void>;
}

export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const seed = options.seed ?? 1;
  const base = options.directory ?? generateDirectory({ seed, users: 50 });
  const tenantId = options.tenantId ?? base.tenantId;
  const directory: Directory = { ...base, tenantId, app: { ...base.app, appId: options.appId ?? base.app.appId } };
  const prng = createPrng(seed ^ 0x5eed);
  const store = new DirectoryStore(directory, prng);
  const clients = options.clients ?? [
    { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, permissions: ALL_PERMISSIONS },
  ];

  let baseUrl = "";
  const settings = { pageSize: options.pageSize ?? 100 };
  const defaultTop = () => settings.pageSize;
  const tokens = new TokenService(tenantId, clients, () => baseUrl);
  const throttle = new Throttle(createPrng(seed ^ 0x7417));
  const delta = new DeltaService(store, createPrng(seed ^ 0xde17a), {
    pageSize: defaultTop,
    membersPerPage: options.deltaMembersPerPage ?? 500,
    replayRate: options.deltaReplayRate ?? 0,
    emptyPageRate: options.deltaEmptyPageRate ?? 0,
  });
  const pager = new Pager();
  const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/;
  const routes: Route[] = [
    { method: "POST", pattern: tokenPath, permissions: null, handler: (ctx) => tokens.handle(ctx) },
    {
      method: "GET",
      pattern: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/,
      permissions: null,
      handler: (ctx) => ok(JSON.parse(metadata(ctx.baseUrl, ctx.params[0] ?? tenantId))),
    },
    ...delta.routes(),
    ...userRoutes(store, pager, defaultTop),
    ...groupRoutes(store, pager, defaultTop),
    ...assignmentRoutes(store, pager, defaultTop),
    ...extensionRoutes(store),
  ];

  const requests: RecordedRequest[] = [];
  const counters: EmulatorCounters = { total: 0, byStatus: {}, throttled: 0, tokensIssued: 0, connections: 0 };
  const cert = options.certificate ?? (await serverCertificate());
  const { server, port } = await startHttpsServer(
    {
      routes,
      requests,
      counters,
      throttle,
      authenticate: (h) => tokens.authenticate(h),
      isIdentityPath: (p) => tokenPath.test(p),
    },
    { key: cert.keyPem, cert: cert.certPem },
    options.port ?? 0,
  );
  baseUrl = `https://127.0.0.1:${port}`;
  server.on("secureConnection", () => counters.connections++);

  return {
    authorityHost: baseUrl,
    graphBaseUrl: baseUrl,
    tenantId,
    appId: directory.app.appId,
    caPem: cert.certPem,
    tokenEndpoint: `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
    authorityMetadata: metadata(baseUrl, tenantId),
    admin: createAdmin(store, delta, tokens, throttle),
    requests,
    counters: () => ({ ...counters, byStatus: { ...counters.byStatus }, tokensIssued: tokens.issued }),
    get pageSize() {
      return settings.pageSize;
    },
    set pageSize(n: number) {
      settings.pageSize = n;
    },
    close: () => closeServer(server),
  };
}

function metadata(baseUrl: string, tenantId: string): string {
  return JSON.stringify({
    token_endpoint: `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
    authorization_endpoint: `${baseUrl}/${tenantId}/oauth2/v2.0/authorize`,
    issuer: `${baseUrl}/${tenantId}/v2.0`,
    jwks_uri: `${baseUrl}/${tenantId}/discovery/v2.0/keys`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    tenant_region_scope: "EU",
  });
}

/** Idempotent: tests may close in the test body and again in afterEach. */
function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
