/** Public types of the Splashtop-style SCIM 2.0 emulator (RFC 7643/7644 + Entra's default quirks). */

export const CORE_USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const SPLASHTOP_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:Splashtop:2.0:User";
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export interface ScimServerOptions {
  /** Bearer token clients must send; a random one when omitted. */
  token?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default "/scim/v1" (Splashtop's tenant URL path). */
  basePath?: string;
  /** RFC 7644 only: reject Entra's string booleans for `active` and non-lowercase op names, no "add on empty" rewrite. */
  strict?: boolean;
  /** Largest page a list answers (also advertised as filter.maxResults). Default 100. */
  maxPageSize?: number;
  /** Page size when the client sends no `count`. Default maxPageSize. */
  defaultPageSize?: number;
  /** Advertised as bulk.maxOperations (bulk itself is advertised unsupported). Default 1000. */
  bulkMaxOperations?: number;
  /** SQLite file that keeps users and groups across restarts; in memory when omitted. */
  dbFile?: string;
  /** Recorded requests kept (oldest dropped first). Default 10,000. */
  maxRecordedRequests?: number;
  /**
   * Answer GET /Users and /Groups without a filter with 400 tooMany, like targets that cannot list everything:
   * clients must look each object up with a filtered GET (Entra's pattern; the benchmarks' baseline). Default false.
   */
  requireFilter?: boolean;
}

export interface ScimMeta {
  resourceType: "User" | "Group";
  created: string;
  lastModified: string;
  version: string;
}

export interface ScimEmail {
  value: string;
  type?: string;
  primary?: boolean;
  display?: string;
}

export interface ScimUser {
  id: string;
  userName: string;
  externalId?: string;
  active?: boolean;
  displayName?: string;
  name?: { givenName?: string; familyName?: string };
  emails?: ScimEmail[];
  [SPLASHTOP_USER_SCHEMA]?: { ssoName?: string };
  meta: ScimMeta;
}

export interface ScimMember {
  value: string;
  type: "User" | "Group";
  /** The member's displayName (userName for users without one). */
  display?: string;
}

export interface ScimGroup {
  id: string;
  displayName: string;
  externalId?: string;
  members: ScimMember[];
  meta: ScimMeta;
}

export interface ScimFaults {
  /**
   * Only requests whose "METHOD /path" (path relative to the tenant URL, no query) matches this regular expression
   * get the faults below, e.g. "^POST /Users$"; "" (default) means every request. The rate limit applies to all.
   */
  match: string;
  /** Answer the next N requests with 429 (and Retry-After unless retryAfterSeconds is null). */
  throttleNext: number;
  /** Share (0..1) of requests answered 429, spread evenly (deterministic, no randomness). */
  throttleRate: number;
  /** Retry-After (seconds) sent with fault 429s; null sends none, as many servers do. Default 1. */
  retryAfterSeconds: number | null;
  /** Answer the next N requests with errorStatus. */
  errorNext: number;
  errorStatus: 500 | 502 | 503 | 504;
  /** errorNext answers only after the request was applied (the app committed; its gateway or it failed after). */
  errorAfterApply: boolean;
  /** Added before every answer. */
  latencyMs: number;
  /** Destroy the socket of the next N requests without answering (nothing applied). */
  dropNext: number;
  /** Apply the next N requests, then reset the connection instead of answering. */
  dropAfterApplyNext: number;
  /** Never answer the next N requests (the connection stays open until the client gives up). */
  hangNext: number;
  /** Apply the next N requests, then answer with their JSON cut in half. */
  malformedNext: number;
  /** Answer the next N requests 200 with an HTML sign-in page (a proxy in the way), without reaching the app. */
  htmlNext: number;
  /** The next N ListResponses leave out every resource's id. */
  omitIdsNext: number;
  /** The next N filtered GETs are answered as if they had no filter (every resource, as servers that ignore filters). */
  ignoreFilterNext: number;
  /** Token bucket: requests per second allowed; 0 = unlimited. Exceeding it answers 429 with Retry-After. */
  rateLimitPerSecond: number;
  /** Bucket size (burst); 0 = same as rateLimitPerSecond. */
  rateLimitBurst: number;
}

export interface RecordedScimRequest {
  method: string;
  /** Path relative to the tenant URL, without the query, e.g. "/Users/1b2c". */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body as the client sent it (before any quirk normalisation), undefined when none. */
  body: unknown;
  /** HTTP status answered; 0 when the connection was dropped without an answer. */
  status: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
}

export interface ScimServer {
  /** "http://127.0.0.1:PORT/scim/v1" */
  tenantUrl: string;
  token: string;
  /** Live list of recorded requests, oldest first (bounded by maxRecordedRequests). */
  readonly requests: RecordedScimRequest[];
  clearRequests(): void;
  /** Current fault settings (counters count down as requests consume them). */
  readonly faults: Readonly<ScimFaults>;
  setFaults(f: Partial<ScimFaults>): void;
  /** Copies of the stored users / groups (members included), in creation order. */
  listUsers(): ScimUser[];
  listGroups(): ScimGroup[];
  /** Deletes every user and group (also from the SQLite file), clears recorded requests and faults. */
  reset(): void;
  close(): Promise<void>;
}
