// App-only sign-in through msal against the emulator's token endpoint, trusting its private CA through our
// network client (never NODE_EXTRA_CA_CERTS: the same provider without caPem fails on the certificate), and the
// admin messages for what goes wrong.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cloudEndpoints,
  createTokenProvider,
  SourceAuthError,
  type TokenProviderOptions,
} from "../../../electron/engine/source";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  generateClientCertificate,
  startGraphEmulator,
  type ClientCertificate,
  type GraphEmulator,
} from "../../../electron/emulators/graph";
import { customCloud } from "./helpers";

const CERT_CLIENT = "00000000-0000-0000-0000-0000000000c2";
let emu: GraphEmulator;
let cert: ClientCertificate;
let otherCert: ClientCertificate;

beforeAll(async () => {
  [cert, otherCert] = await Promise.all([generateClientCertificate(), generateClientCertificate("not registered")]);
  emu = await startGraphEmulator({
    clients: [
      { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, permissions: ["User.Read.All"] },
      { clientId: CERT_CLIENT, certificatePem: cert.certificatePem, permissions: ["User.Read.All"] },
    ],
  });
});
afterAll(() => emu?.close());

function provider(overrides: Partial<TokenProviderOptions> = {}) {
  return createTokenProvider({
    tenantId: emu.tenantId,
    clientId: DEFAULT_CLIENT_ID,
    cloud: customCloud(emu),
    credential: { clientSecret: DEFAULT_CLIENT_SECRET },
    caPem: emu.caPem,
    ...overrides,
  });
}

async function authError(promise: Promise<unknown>): Promise<SourceAuthError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceAuthError);
  return err as SourceAuthError;
}

describe("cloudEndpoints", () => {
  it("knows the national clouds and trims a custom cloud's trailing slashes", () => {
    expect(cloudEndpoints("global")).toEqual({
      authorityHost: "https://login.microsoftonline.com",
      graphBaseUrl: "https://graph.microsoft.com",
    });
    expect(cloudEndpoints("usgov")).toEqual({
      authorityHost: "https://login.microsoftonline.us",
      graphBaseUrl: "https://graph.microsoft.us",
    });
    expect(cloudEndpoints("china")).toEqual({
      authorityHost: "https://login.chinacloudapi.cn",
      graphBaseUrl: "https://microsoftgraph.chinacloudapi.cn",
    });
    expect(
      cloudEndpoints({ authorityHost: "https://login.example.net/", graphBaseUrl: "https://graph.example.net//" }),
    ).toEqual({
      authorityHost: "https://login.example.net",
      graphBaseUrl: "https://graph.example.net",
    });
  });
});

describe("createTokenProvider", () => {
  it("gets a token with a client secret, sending only the token POST, and reuses msal's cache", async () => {
    const tokens = provider();
    const before = emu.requests.length;
    const token = await tokens.getToken();
    expect(token.length).toBeGreaterThan(20);
    expect(await tokens.getToken()).toBe(token);
    const sent = emu.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([`POST /${emu.tenantId}/oauth2/v2.0/token`]);
    expect(await tokens.getToken({ forceRefresh: true })).not.toBe(token);
  });

  it("signs in once for callers asking at the same time", async () => {
    const before = emu.counters().tokensIssued;
    const tokens = await Promise.all([1, 2, 3].map(() => provider().getToken()));
    const shared = provider();
    const sharedTokens = await Promise.all([1, 2, 3].map(() => shared.getToken()));
    expect(new Set(tokens).size).toBe(3); // separate providers: separate sign-ins
    expect(new Set(sharedTokens).size).toBe(1);
    expect(emu.counters().tokensIssued - before).toBe(4);
  });

  it("gets a token with a certificate (x5t#S256 thumbprint computed from the certificate)", async () => {
    const token = await provider({
      clientId: CERT_CLIENT,
      credential: { certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem },
    }).getToken();
    expect(token.length).toBeGreaterThan(20);
  });

  it("explains a wrong client secret", async () => {
    const err = await authError(provider({ credential: { clientSecret: "wrong" } }).getToken());
    expect(err.kind).toBe("invalidSecret");
    expect(err.aadsts).toBe("7000215");
    expect(err.message).toBe(
      "Entra ID rejected the client secret (AADSTS7000215). Create a new client secret for the app registration in the Entra admin center and paste it in Connections → Source.",
    );
    expect(err.detail).toContain("invalid_client");
  });

  it("explains an unknown client id and an unknown tenant", async () => {
    const client = await authError(provider({ clientId: "11111111-2222-3333-4444-555555555555" }).getToken());
    expect(client.kind).toBe("unknownClient");
    expect(client.message).toContain("11111111-2222-3333-4444-555555555555");
    expect(client.message).toContain("Connections → Source");

    const tenant = await authError(provider({ tenantId: "00000000-0000-0000-0000-00000000dead" }).getToken());
    expect(tenant.kind).toBe("unknownTenant");
    expect(tenant.message).toContain("Directory (tenant) ID");
  });

  it("explains a certificate that is not registered on the app", async () => {
    const err = await authError(
      provider({
        clientId: CERT_CLIENT,
        credential: { certificatePem: otherCert.certificatePem, privateKeyPem: otherCert.privateKeyPem },
      }).getToken(),
    );
    expect(err.kind).toBe("certificateRejected");
    expect(err.aadsts).toBe("700027");
    expect(err.message).toContain("Certificates & secrets");
  });

  it("refuses a private key that does not belong to the certificate before any request", async () => {
    const before = emu.requests.length;
    const err = await authError(
      provider({
        clientId: CERT_CLIENT,
        credential: { certificatePem: cert.certificatePem, privateKeyPem: otherCert.privateKeyPem },
      }).getToken(),
    );
    expect(err.kind).toBe("badCredential");
    expect(err.message).toContain("does not belong to the certificate");
    expect(emu.requests.length).toBe(before);
  });

  it("calls a throttled token endpoint temporary, also while msal holds identical requests back", async () => {
    const tokens = provider();
    emu.admin.setThrottling({ status: 429, count: 1, path: /oauth2/, retryAfter: "30" });
    expect((await authError(tokens.getToken())).kind).toBe("throttled");
    const before = emu.requests.length;
    const held = await authError(tokens.getToken());
    expect(held.kind).toBe("throttled");
    expect(held.message).toContain("next cycle will try again");
    expect(emu.requests.length).toBe(before); // msal did not send it
  });

  it("says to add the CA when the token endpoint's certificate is not trusted", async () => {
    const err = await authError(provider({ caPem: undefined }).getToken());
    expect(err.kind).toBe("tls");
    expect(err.message).toMatch(/not trusted.*private CA/);
    expect(err.detail).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/);
  });

  it("says the sign-in host cannot be reached", async () => {
    const closed = "https://127.0.0.1:1"; // privileged port: nothing listens there
    const err = await authError(provider({ cloud: { authorityHost: closed, graphBaseUrl: closed } }).getToken());
    expect(err.kind).toBe("network");
    expect(err.message).toContain("refused the connection");
  });
});
