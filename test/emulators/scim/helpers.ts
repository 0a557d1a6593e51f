import {
  CORE_USER_SCHEMA,
  PATCH_OP_SCHEMA,
  SPLASHTOP_USER_SCHEMA,
  type ScimServer,
} from "../../../electron/emulators/scim/index";

export interface ScimAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SCIM JSON is asserted field by field in tests
  body: any;
}

/** fetch against the emulator with its token; `token: null` sends no Authorization header. */
export async function scim(
  server: ScimServer,
  method: string,
  path: string,
  body?: unknown,
  opts: { token?: string | null; rawBody?: string } = {},
): Promise<ScimAnswer> {
  const token = opts.token === undefined ? server.token : opts.token;
  const res = await fetch(server.tenantUrl + path, {
    method,
    headers: {
      "content-type": "application/scim+json",
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export const filterQuery = (filter: string) => `filter=${encodeURIComponent(filter)}`;

export const patchOp = (...Operations: object[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });

/** The POST body Entra sends by default for a gallery app with the Splashtop extension (entra-provisioning.md). */
export function entraUser(n: number | string, ssoName = "Contoso SSO"): Record<string, unknown> {
  return {
    schemas: [CORE_USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", SPLASHTOP_USER_SCHEMA],
    externalId: `user${n}`,
    userName: `user${n}@contoso.com`,
    active: true,
    name: { givenName: `Given${n}`, familyName: `Family${n}`, formatted: `Given${n} Family${n}` },
    emails: [{ primary: true, type: "work", value: `user${n}@contoso.com` }],
    [SPLASHTOP_USER_SCHEMA]: { ssoName },
  };
}

export async function createUser(server: ScimServer, n: number | string): Promise<string> {
  const r = await scim(server, "POST", "/Users", entraUser(n));
  if (r.status !== 201) throw new Error(`create user ${n}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}
