// Entra ID token endpoint, client credentials grant: secret or certificate assertion
// (RFC 7523), answering with the identity platform's success and error bodies.

import { errors as joseErrors, importX509, jwtVerify, decodeProtectedHeader } from "jose";
import { certificateThumbprints } from "./certs";
import { AadError, GraphError } from "./errors";
import { TokenRegistry } from "./registry";
import type { Ctx, Reply } from "./router";
import type { ClientRegistration } from "./types";

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const GRAPH_RESOURCES = new Set([
  "https://graph.microsoft.com",
  "00000003-0000-0000-c000-000000000000",
  "https://graph.microsoft.us",
  "https://dod-graph.microsoft.us",
  "https://microsoftgraph.chinacloudapi.cn",
]);
export const TOKEN_LIFETIME_SECONDS = 3599;

interface RegisteredCert {
  pem: string;
  x5tS256: string;
  x5t: string;
}

interface Client extends ClientRegistration {
  certs: RegisteredCert[];
}

interface AccessToken {
  clientId: string;
  permissions: readonly string[];
  expiresAt: number;
}

export class TokenService {
  private readonly clients = new Map<string, Client>();
  private readonly tokens = new TokenRegistry<AccessToken>();
  issued = 0;

  constructor(
    readonly tenantId: string,
    clients: readonly ClientRegistration[],
    private readonly graphBase: () => string,
  ) {
    for (const c of clients) this.register(c);
  }

  /** Adds or replaces an app registration; access tokens already issued keep the permissions they were issued with. */
  register(c: ClientRegistration): void {
    const certs = c.certificatePem ? [thumbprints(c.certificatePem)] : [];
    this.clients.set(c.clientId.toLowerCase(), { ...c, certs });
  }

  /** Makes every access token issued so far invalid (clients must fetch a new one). */
  expireAll(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }

  /** Graph side: the permissions a bearer token carries, or a 401 in Graph's shape. */
  authenticate(authorization: string | undefined): readonly string[] {
    const challenge = {
      "www-authenticate": `Bearer realm="", authorization_uri="${this.graphBase()}/${this.tenantId}/oauth2/v2.0/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match?.[1]) throw new GraphError(401, "InvalidAuthenticationToken", "Access token is empty.", challenge);
    const token = this.tokens.get(match[1]);
    if (!token) throw new GraphError(401, "InvalidAuthenticationToken", "Access token validation failure.", challenge);
    if (token.expiresAt <= Date.now())
      throw new GraphError(
        401,
        "InvalidAuthenticationToken",
        "Lifetime validation failed, the token is expired.",
        challenge,
      );
    return token.permissions;
  }

  async handle(ctx: Ctx): Promise<Reply> {
    const tenant = ctx.params[0] ?? "";
    if (tenant.toLowerCase() !== this.tenantId.toLowerCase()) {
      throw new AadError(
        400,
        "invalid_request",
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    const form = new URLSearchParams(ctx.body);
    const grantType = form.get("grant_type");
    if (!grantType) throw missingParameter("grant_type");
    if (grantType !== "client_credentials") {
      throw new AadError(
        400,
        "unsupported_grant_type",
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
      );
    }
    const clientId = form.get("client_id");
    if (!clientId) throw missingParameter("client_id");
    const scope = form.get("scope");
    if (!scope) throw missingParameter("scope");
    checkScope(scope);
    const client = this.clients.get(clientId.toLowerCase());
    if (!client) {
      throw new AadError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${this.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    }
    const secret = form.get("client_secret");
    const assertion = form.get("client_assertion");
    if (secret !== null) {
      if (!client.clientSecret || secret !== client.clientSecret) {
        throw new AadError(
          401,
          "invalid_client",
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`,
        );
      }
    } else if (assertion !== null) {
      const type = form.get("client_assertion_type");
      if (type !== ASSERTION_TYPE) {
        throw new AadError(
          400,
          "invalid_request",
          50027,
          `Invalid client_assertion_type '${type ?? ""}': expected '${ASSERTION_TYPE}'.`,
        );
      }
      await this.verifyAssertion(client, assertion, ctx.baseUrl);
    } else {
      throw new AadError(
        401,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    const accessToken = this.tokens.issue(
      {
        clientId: client.clientId,
        permissions: client.permissions ?? [],
        expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000,
      },
      96,
    );
    this.issued++;
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        expires_in: TOKEN_LIFETIME_SECONDS,
        ext_expires_in: TOKEN_LIFETIME_SECONDS,
        access_token: accessToken,
      },
    };
  }

  private async verifyAssertion(client: Client, assertion: string, baseUrl: string): Promise<void> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      throw new AadError(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
    }
    const x5tS256 = typeof header["x5t#S256"] === "string" ? header["x5t#S256"] : undefined;
    const cert = client.certs.find((c) => (x5tS256 ? c.x5tS256 === x5tS256 : c.x5t === header.x5t));
    if (!cert) {
      throw new AadError(
        401,
        "invalid_client",
        700027,
        `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${x5tS256 ?? header.x5t ?? ""}']`,
      );
    }
    const alg = header.alg === "RS256" ? "RS256" : "PS256";
    const audiences = [baseUrl, baseUrl.replace("127.0.0.1", "localhost")].flatMap((b) => [
      `${b}/${this.tenantId}/oauth2/v2.0/token`,
      `${b}/${this.tenantId}/oauth2/token`,
    ]);
    try {
      await jwtVerify(assertion, await importX509(cert.pem, alg), {
        algorithms: [alg],
        issuer: client.clientId,
        subject: client.clientId,
        audience: audiences,
        requiredClaims: ["exp", "aud", "iss", "sub"],
        clockTolerance: 300,
      });
    } catch (err) {
      throw assertionError(err);
    }
  }
}

/** JWT headers carry thumbprints base64url-encoded (x5t#S256 from msal-node 7, x5t from older clients). */
function thumbprints(pem: string): RegisteredCert {
  const { thumbprintSha256, thumbprint } = certificateThumbprints(pem);
  const b64url = (hex: string) => Buffer.from(hex, "hex").toString("base64url");
  return { pem, x5tS256: b64url(thumbprintSha256), x5t: b64url(thumbprint) };
}

function missingParameter(name: string): AadError {
  return new AadError(
    400,
    "invalid_request",
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );
}

/** Client credentials take exactly one resource's "/.default" scope. */
function checkScope(scope: string): void {
  const scopes = scope.split(" ").filter(Boolean);
  if (scopes.length !== 1 || !scopes[0]?.endsWith("/.default")) {
    throw new AadError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resource = scopes[0].slice(0, -"/.default".length).replace(/\/$/, "");
  if (!GRAPH_RESOURCES.has(resource) && !/^https:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(resource)) {
    throw new AadError(
      400,
      "invalid_resource",
      500011,
      `The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
}

function assertionError(err: unknown): AadError {
  if (err instanceof joseErrors.JWTExpired) {
    return new AadError(401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === "aud")
      return new AadError(
        401,
        "invalid_client",
        700023,
        "Client assertion audience claim does not match Realm issuer.",
      );
    if (err.claim === "nbf")
      return new AadError(401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
    return new AadError(
      401,
      "invalid_client",
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter (claim '${err.claim}').`,
    );
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new AadError(401, "invalid_client", 700027, "Client assertion failed signature validation.");
  }
  return new AadError(
    401,
    "invalid_client",
    50027,
    `JWT token is invalid or malformed: ${err instanceof Error ? err.message : String(err)}`,
  );
}
