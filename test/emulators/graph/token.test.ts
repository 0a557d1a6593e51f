import { ConfidentialClientApplication, type AuthError } from "@azure/msal-node";
import { SignJWT, importPKCS8 } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  GRAPH_SCOPE,
  generateClientCertificate,
  startGraphEmulator,
  type ClientCertificate,
  type GraphEmulator,
} from "../../../electron/emulators/graph";
import { caNetworkModule, defaultClientWith, httpFor, type Http } from "./helpers";

const CERT_CLIENT = "00000000-0000-0000-0000-0000000000c2";
const LIMITED_CLIENT = "00000000-0000-0000-0000-0000000000c3";

let emu: GraphEmulator;
let http: Http;
let cert: ClientCertificate;
let otherCert: ClientCertificate;

beforeAll(async () => {
  [cert, otherCert] = await Promise.all([generateClientCertificate(), generateClientCertificate("someone else")]);
  emu = await startGraphEmulator({
    clients: defaultClientWith(
      ["User.Read.All", "Group.Read.All", "Application.Read.All"],
      { clientId: CERT_CLIENT, certificatePem: cert.certificatePem, permissions: ["User.Read.All"] },
      { clientId: LIMITED_CLIENT, clientSecret: "limited", permissions: ["User.Read.All"] },
    ),
  });
  http = httpFor(emu);
});

afterAll(async () => {
  await http.close();
  await emu.close();
});

function msalApp(
  auth: { clientSecret?: string; clientCertificate?: { thumbprintSha256: string; privateKey: string } },
  clientId = DEFAULT_CLIENT_ID,
) {
  return new ConfidentialClientApplication({
    auth: {
      clientId,
      authority: `${emu.authorityHost}/${emu.tenantId}`,
      knownAuthorities: [new URL(emu.authorityHost).host],
      authorityMetadata: emu.authorityMetadata,
      ...auth,
    },
    system: { networkClient: caNetworkModule(emu.caPem) },
  });
}

async function postToken(fields: Record<string, string>, tenant = emu.tenantId) {
  const res = await http.fetch(`${emu.authorityHost}/${tenant}/oauth2/v2.0/token?client-request-id=abc-123`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function assertion(
  signWith: ClientCertificate,
  claims: { aud?: string; iss?: string; exp?: number },
  header: ClientCertificate = cert,
) {
  const key = await importPKCS8(signWith.privateKeyPem, "PS256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({
      alg: "PS256",
      typ: "JWT",
      "x5t#S256": Buffer.from(header.thumbprintSha256, "hex").toString("base64url"),
    })
    .setAudience(claims.aud ?? emu.tokenEndpoint)
    .setIssuer(claims.iss ?? CERT_CLIENT)
    .setSubject(claims.iss ?? CERT_CLIENT)
    .setNotBefore(now - 10)
    .setExpirationTime(claims.exp ?? now + 600)
    .sign(key);
}

const certForm = (jwt: string) => ({
  grant_type: "client_credentials",
  client_id: CERT_CLIENT,
  scope: GRAPH_SCOPE,
  client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
  client_assertion: jwt,
});

describe("token endpoint with msal-node", () => {
  it("issues a token for the client secret, and Graph accepts it", async () => {
    const result = await msalApp({ clientSecret: DEFAULT_CLIENT_SECRET }).acquireTokenByClientCredential({
      scopes: [GRAPH_SCOPE],
    });
    expect(result?.accessToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const res = await http.fetch(`${emu.graphBaseUrl}/v1.0/users?$top=1`, {
      headers: { authorization: `Bearer ${result?.accessToken}` },
    });
    expect(res.status).toBe(200);
    // msal appends ?client-request-id=... to the token URL; the emulator routes on the path.
    expect(
      emu.requests.some(
        (r) => r.method === "POST" && r.path.startsWith(`/${emu.tenantId}/oauth2/v2.0/token?client-request-id=`),
      ),
    ).toBe(true);
  });

  it("rejects a wrong secret with invalid_client / AADSTS7000215 surfaced by msal", async () => {
    const err = (await msalApp({ clientSecret: "wrong" })
      .acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] })
      .catch((e: unknown) => e)) as AuthError;
    expect(err.errorCode).toBe("invalid_client");
    expect(err.errorMessage).toContain("AADSTS7000215");
  });

  it("issues a token for a certificate assertion (x5t#S256, PS256) built by msal", async () => {
    const app = msalApp(
      { clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem } },
      CERT_CLIENT,
    );
    const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    expect(result?.accessToken.length).toBeGreaterThan(40);
  });

  it("rejects msal's assertion signed by an unregistered certificate", async () => {
    const app = msalApp(
      { clientCertificate: { thumbprintSha256: otherCert.thumbprintSha256, privateKey: otherCert.privateKeyPem } },
      CERT_CLIENT,
    );
    const err = (await app
      .acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] })
      .catch((e: unknown) => e)) as AuthError;
    expect(err.errorCode).toBe("invalid_client");
    expect(err.errorMessage).toContain("AADSTS700027");
  });
});

describe("token endpoint wire format", () => {
  it("answers success in the identity platform's shape", async () => {
    const r = await postToken({
      grant_type: "client_credentials",
      client_id: DEFAULT_CLIENT_ID,
      client_secret: DEFAULT_CLIENT_SECRET,
      scope: GRAPH_SCOPE,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      token_type: "Bearer",
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: expect.any(String),
    });
  });

  it("answers a bad secret with 401 invalid_client, error_codes, trace and correlation ids", async () => {
    const r = await postToken({
      grant_type: "client_credentials",
      client_id: DEFAULT_CLIENT_ID,
      client_secret: "nope",
      scope: GRAPH_SCOPE,
    });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({
      error: "invalid_client",
      error_codes: [7000215],
      correlation_id: "abc-123",
      trace_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/),
    });
    expect(r.body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);
  });

  it("rejects a scope without /.default, an unknown client, a missing credential and an unknown tenant", async () => {
    const base = {
      grant_type: "client_credentials",
      client_id: DEFAULT_CLIENT_ID,
      client_secret: DEFAULT_CLIENT_SECRET,
    };
    const scope = await postToken({ ...base, scope: "User.Read.All" });
    expect([scope.status, scope.body.error, scope.body.error_codes]).toEqual([400, "invalid_scope", [1002012]]);
    const unknown = await postToken({ ...base, client_id: "11111111-1111-1111-1111-111111111111", scope: GRAPH_SCOPE });
    expect([unknown.status, unknown.body.error, unknown.body.error_codes]).toEqual([
      400,
      "unauthorized_client",
      [700016],
    ]);
    const noCred = await postToken({
      grant_type: "client_credentials",
      client_id: DEFAULT_CLIENT_ID,
      scope: GRAPH_SCOPE,
    });
    expect([noCred.status, noCred.body.error, noCred.body.error_codes]).toEqual([401, "invalid_client", [7000218]]);
    const tenant = await postToken({ ...base, scope: GRAPH_SCOPE }, "not-my-tenant");
    expect([tenant.status, tenant.body.error, tenant.body.error_codes]).toEqual([400, "invalid_request", [90002]]);
    const grant = await postToken({ ...base, grant_type: "password", scope: GRAPH_SCOPE });
    expect([grant.status, grant.body.error]).toEqual([400, "unsupported_grant_type"]);
  });

  it("verifies the assertion's signature, audience, issuer and expiry", async () => {
    const good = await postToken(certForm(await assertion(cert, {})));
    expect(good.status).toBe(200);
    // Signed with another key but claiming the registered certificate's thumbprint.
    const forged = await postToken(certForm(await assertion(otherCert, {}, cert)));
    expect([forged.status, forged.body.error, forged.body.error_codes]).toEqual([401, "invalid_client", [700027]]);
    const aud = await postToken(
      certForm(await assertion(cert, { aud: "https://login.microsoftonline.com/other/oauth2/v2.0/token" })),
    );
    expect(aud.body.error_codes).toEqual([700023]);
    const expired = await postToken(certForm(await assertion(cert, { exp: Math.floor(Date.now() / 1000) - 3600 })));
    expect(expired.body.error_codes).toEqual([700024]);
    const iss = await postToken(certForm(await assertion(cert, { iss: DEFAULT_CLIENT_ID })));
    expect(iss.body.error_codes).toEqual([700021]);
  });

  it("serves openid-configuration matching the authority metadata", async () => {
    const res = await http.fetch(`${emu.authorityHost}/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.token_endpoint).toBe(emu.tokenEndpoint);
    expect(JSON.parse(emu.authorityMetadata)).toMatchObject({ token_endpoint: emu.tokenEndpoint, issuer: body.issuer });
  });
});

describe("Graph bearer checks", () => {
  it("answers a missing or unknown token with 401 InvalidAuthenticationToken in the envelope", async () => {
    for (const authorization of [undefined, "Bearer not-a-token"]) {
      const res = await http.fetch(`${emu.graphBaseUrl}/v1.0/users`, {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      const body = (await res.json()) as { error: { code: string; innerError: Record<string, string> } };
      expect(body.error.code).toBe("InvalidAuthenticationToken");
      expect(body.error.innerError["request-id"]).toBe(res.headers.get("request-id"));
    }
  });

  it("refuses a token without the needed permission with 403 Authorization_RequestDenied", async () => {
    const token = await http.token(LIMITED_CLIENT, "limited");
    const users = await http.fetch(`${emu.graphBaseUrl}/v1.0/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(users.status).toBe(200);
    const groups = await http.fetch(`${emu.graphBaseUrl}/v1.0/groups`, {
      headers: { authorization: `Bearer ${token}`, "client-request-id": "mine-1" },
    });
    expect(groups.status).toBe(403);
    const body = (await groups.json()) as {
      error: { code: string; message: string; innerError: Record<string, string> };
    };
    expect(body.error).toEqual({
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
      innerError: {
        date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
        "request-id": groups.headers.get("request-id"),
        "client-request-id": "mine-1",
      },
    });
  });

  it("expires issued access tokens on demand", async () => {
    const token = await http.token();
    emu.admin.expireAccessTokens();
    const res = await http.fetch(`${emu.graphBaseUrl}/v1.0/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    const fresh = await http.token();
    expect(
      (await http.fetch(`${emu.graphBaseUrl}/v1.0/users`, { headers: { authorization: `Bearer ${fresh}` } })).status,
    ).toBe(200);
  });
});

describe("app registration changed at runtime", () => {
  it("a rotated secret refuses the old one; revoked permissions apply to tokens issued after, as in Entra", async () => {
    const client = "00000000-0000-0000-0000-0000000000c4";
    emu.admin.registerClient({ clientId: client, clientSecret: "first", permissions: ["User.Read.All"] });
    const before = await http.token(client, "first");
    emu.admin.registerClient({ clientId: client, clientSecret: "second", permissions: [] });
    const refused = await postToken({
      grant_type: "client_credentials",
      client_id: client,
      client_secret: "first",
      scope: GRAPH_SCOPE,
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error_description).toMatch(/^AADSTS7000215/);
    const after = await http.token(client, "second");
    const read = (token: string) =>
      http.fetch(`${emu.graphBaseUrl}/v1.0/users?$top=1`, { headers: { authorization: `Bearer ${token}` } });
    expect((await read(before)).status).toBe(200);
    expect((await read(after)).status).toBe(403);
  });
});
