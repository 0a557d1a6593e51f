// The floor: the fewest requests each benchmark cycle needs, computed from the data as it is read, sent by a bare
// HTTP client at the engine's concurrency and rate. Paged delta reads (every page Graph serves), one list GET per
// target collection and the ServiceProviderConfig on the first cycle, one POST per new object, one PATCH per changed
// object, member changes in PATCHes of the target's bulk limit. No retries (but a 429 waits its Retry-After and is
// sent again, as any client of a rate-limited target must), logs, state database or safety checks: what remains is
// the wire.
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../../electron/emulators/graph";
import { SSO_NAME_TARGET } from "../../electron/engine/rules/splashtop-defaults";
import type { Endpoints } from "./host-protocol";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const USER_SELECT = "id,userPrincipalName,displayName,givenName,surname,mailNickname,accountEnabled";

interface Json {
  [key: string]: unknown;
}

/** A 429: the target's rate limit was exceeded; send again after `retryAfterMs`. */
class Throttled extends Error {
  constructor(readonly retryAfterMs: number) {
    super("429 Too Many Requests");
  }
}

export interface FloorClient {
  /** One cycle of the job: reads changes (everything, the first time) and sends the fewest writes they need. */
  cycle(): Promise<void>;
  close(): void;
}

/** A pacer for `perSecond` request starts, at most `concurrency` in flight. */
function pacer(concurrency: number, perSecond: number) {
  let active = 0;
  let nextStart = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    const now = performance.now();
    const at = Math.max(now, nextStart);
    nextStart = at + 1000 / perSecond;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
    try {
      return await fn();
    } finally {
      release();
    }
  };
}

export function createFloorClient(
  endpoints: Endpoints,
  options: { concurrency: number; requestsPerSecond: number },
): FloorClient {
  const https = new HttpsAgent({ keepAlive: true, ca: endpoints.graph.caPem, maxSockets: 2 });
  const http = new HttpAgent({ keepAlive: true, maxSockets: options.concurrency });
  const paced = pacer(options.concurrency, options.requestsPerSecond);
  let graphToken = "";

  function send(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Json> {
    const u = new URL(url);
    const secure = u.protocol === "https:";
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(
        u,
        {
          method,
          agent: secure ? https : http,
          headers: {
            ...(payload !== undefined && typeof body !== "string" ? { "content-type": "application/json" } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode === 429) reject(new Throttled(Number(res.headers["retry-after"] ?? 1) * 1000));
            else if ((res.statusCode ?? 0) >= 400) reject(new Error(`${method} ${url}: ${res.statusCode} ${text}`));
            else resolve(text ? (JSON.parse(text) as Json) : {});
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }
  const scim = async (method: string, path: string, body?: unknown): Promise<Json> => {
    for (;;) {
      try {
        return await paced(() =>
          send(method, `${endpoints.scim.tenantUrl}${path}`, body, { authorization: `Bearer ${endpoints.scim.token}` }),
        );
      } catch (error) {
        if (!(error instanceof Throttled)) throw error;
        await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs));
      }
    }
  };
  const graph = (url: string) => send("GET", url, undefined, { authorization: `Bearer ${graphToken}` });

  /** Follows one delta round to its deltaLink, handing each item over. */
  async function delta(start: string, onItem: (item: Json) => void): Promise<string> {
    let next = start;
    for (;;) {
      const page = await graph(next);
      for (const item of (page.value as Json[]) ?? []) onItem(item);
      if (typeof page["@odata.nextLink"] === "string") next = page["@odata.nextLink"];
      else return page["@odata.deltaLink"] as string;
    }
  }

  // What the target holds, as this client wrote it: source id → target id and values; group members by source id.
  const userIds = new Map<string, string>();
  const userValues = new Map<string, string>();
  const groupIds = new Map<string, string>();
  const members = new Map<string, Set<string>>();
  const links = { users: "", groups: "" };
  let bulkLimit = 1;
  /** Users as last read: an incremental delta item may carry only the changed properties. */
  const known = new Map<string, Json>();

  /** Graph may return one object in several items (a big group's members over pages): they add up. */
  const merge = (into: Map<string, Json>, item: Json) => {
    const id = item.id as string;
    const had = into.get(id);
    const members = [...((had?.["members@delta"] as Json[]) ?? []), ...((item["members@delta"] as Json[]) ?? [])];
    into.set(id, { ...had, ...item, "members@delta": members });
  };

  const userBody = (u: Json) => ({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: u.userPrincipalName,
    active: true,
    displayName: u.displayName,
    name: { givenName: u.givenName, familyName: u.surname },
    externalId: u.mailNickname,
    [SSO_NAME_TARGET]: "Contoso SSO",
  });
  const signature = (u: Json) => JSON.stringify([u.displayName, u.givenName, u.surname, u.mailNickname]);

  async function memberPatches(changes: Map<string, { add: string[]; remove: string[] }>): Promise<void> {
    const sends: Promise<unknown>[] = [];
    for (const [groupId, { add, remove }] of changes) {
      const target = groupIds.get(groupId);
      if (!target) continue;
      const all = [...add.map((id) => ({ id, adding: true })), ...remove.map((id) => ({ id, adding: false }))];
      for (let i = 0; i < all.length; i += bulkLimit) {
        const chunk = all.slice(i, i + bulkLimit);
        const value = (adding: boolean) => chunk.filter((c) => c.adding === adding).map((c) => ({ value: c.id }));
        const ops = [
          ...(value(true).length ? [{ op: "Add", path: "members", value: value(true) }] : []),
          ...(value(false).length ? [{ op: "Remove", path: "members", value: value(false) }] : []),
        ];
        sends.push(scim("PATCH", `/Groups/${target}`, { schemas: [PATCH_OP], Operations: ops }));
      }
    }
    await Promise.all(sends);
  }

  async function first(): Promise<void> {
    const { tenantId, authorityHost, graphBaseUrl } = endpoints.graph;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: DEFAULT_CLIENT_ID,
      client_secret: DEFAULT_CLIENT_SECRET,
      scope: `${graphBaseUrl}/.default`,
    }).toString();
    graphToken = (
      await send("POST", `${authorityHost}/${tenantId}/oauth2/v2.0/token`, form, {
        "content-type": "application/x-www-form-urlencoded",
      })
    ).access_token as string;
    const byId = { users: new Map<string, Json>(), groups: new Map<string, Json>() };
    const [usersLink, groupsLink, config] = await Promise.all([
      delta(`${graphBaseUrl}/v1.0/users/delta?$select=${USER_SELECT}`, (u) => merge(byId.users, u)),
      delta(`${graphBaseUrl}/v1.0/groups/delta?$select=id,displayName,members`, (g) => merge(byId.groups, g)),
      scim("GET", "/ServiceProviderConfig"),
      scim("GET", "/Users?count=1000"),
      scim("GET", "/Groups?count=1000&excludedAttributes=members"),
    ]);
    links.users = usersLink;
    links.groups = groupsLink;
    const users = [...byId.users.values()];
    const groups = [...byId.groups.values()];
    bulkLimit = Number((config.bulk as Json | undefined)?.maxOperations ?? 1) || 1;
    await Promise.all([
      ...users
        .filter((u) => !u["@removed"] && u.accountEnabled !== false)
        .map(async (u) => {
          known.set(u.id as string, u);
          const created = await scim("POST", "/Users", userBody(u));
          userIds.set(u.id as string, created.id as string);
          userValues.set(u.id as string, signature(u));
        }),
      ...groups
        .filter((g) => !g["@removed"])
        .map(async (g) => {
          const body = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: g.displayName };
          const created = await scim("POST", "/Groups", { ...body, externalId: g.id });
          groupIds.set(g.id as string, created.id as string);
        }),
    ]);
    const changes = new Map<string, { add: string[]; remove: string[] }>();
    for (const g of groups) {
      const ids = ((g["members@delta"] as Json[] | undefined) ?? [])
        .filter((m) => !m["@removed"] && userIds.has(m.id as string))
        .map((m) => m.id as string);
      members.set(g.id as string, new Set(ids));
      changes.set(g.id as string, { add: ids.map((id) => userIds.get(id)!), remove: [] });
    }
    await memberPatches(changes);
  }

  async function incremental(): Promise<void> {
    const byId = { users: new Map<string, Json>(), groups: new Map<string, Json>() };
    [links.users, links.groups] = await Promise.all([
      delta(links.users, (u) => merge(byId.users, u)),
      delta(links.groups, (g) => merge(byId.groups, g)),
    ]);
    const groups = [...byId.groups.values()];
    const users = [...byId.users.values()].map((u) => ({ ...known.get(u.id as string), ...u }));
    for (const u of users) known.set(u.id as string, u);
    const writes: Promise<unknown>[] = [];
    for (const u of users) {
      const target = userIds.get(u.id as string);
      if (!target || u["@removed"] || signature(u) === userValues.get(u.id as string)) continue;
      const body = userBody(u);
      const ops = [
        { op: "Replace", path: "displayName", value: body.displayName },
        { op: "Replace", path: "name.familyName", value: body.name.familyName },
      ];
      userValues.set(u.id as string, signature(u));
      writes.push(scim("PATCH", `/Users/${target}`, { schemas: [PATCH_OP], Operations: ops }));
    }
    await Promise.all(writes);
    const changes = new Map<string, { add: string[]; remove: string[] }>();
    for (const g of groups) {
      const held = members.get(g.id as string) ?? new Set<string>();
      const change = { add: [] as string[], remove: [] as string[] };
      for (const m of (g["members@delta"] as Json[] | undefined) ?? []) {
        const id = m.id as string;
        const target = userIds.get(id);
        if (!target) continue;
        if (m["@removed"] && held.delete(id)) change.remove.push(target);
        else if (!m["@removed"] && !held.has(id)) {
          held.add(id);
          change.add.push(target);
        }
      }
      if (change.add.length || change.remove.length) changes.set(g.id as string, change);
    }
    await memberPatches(changes);
  }

  let started = false;
  return {
    async cycle() {
      if (started) return incremental();
      started = true;
      return first();
    },
    close() {
      https.destroy();
      http.destroy();
    },
  };
}
