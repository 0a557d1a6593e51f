import { X509Certificate, createHash, createPrivateKey } from "node:crypto";
import { AuthError, ConfidentialClientApplication, ServerError } from "@azure/msal-node";
import type { NodeAuthOptions } from "@azure/msal-node";
import type { Cloud } from "../../../shared/config/profile";
import { HttpError } from "../http";
import { cloudEndpoints } from "./clouds";
import { SourceAuthError } from "./errors";
import { createMsalNetworkClient } from "./network";

export type SourceCredential = { clientSecret: string } | { certificatePem: string; privateKeyPem: string };

export interface TokenProvider {
  /**
   * An app-only access token for Microsoft Graph; msal caches it and renews it 5 minutes before expiry.
   * `forceRefresh` skips the cache (Graph refused the cached token).
   */
  getToken(options?: { forceRefresh?: boolean }): Promise<string>;
}

export interface TokenProviderOptions {
  tenantId: string;
  clientId: string;
  cloud: Cloud;
  credential: SourceCredential;
  /** PEM of a private CA trusted in addition to the system roots for the token endpoint. */
  caPem?: string;
  timeoutMs?: number;
}

const CONSOLE = "Entra admin center → App registrations → your app";

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { authorityHost, graphBaseUrl } = cloudEndpoints(options.cloud);
  const authority = `${authorityHost}/${options.tenantId}`;
  const scopes = [`${graphBaseUrl}/.default`];
  let app: ConfidentialClientApplication | undefined;

  // Built on first use so that a bad certificate or authority surfaces as a typed error from getToken
  // (and so as a failed "token" connection check), not as a throw from a constructor.
  const build = () =>
    new ConfidentialClientApplication({
      auth: {
        clientId: options.clientId,
        authority,
        ...credentialOptions(options.credential),
        ...(typeof options.cloud === "object" ? customAuthorityOptions(authority) : {}),
      },
      system: { networkClient: createMsalNetworkClient({ caPem: options.caPem, timeoutMs: options.timeoutMs }) },
    });

  async function acquire(forceRefresh: boolean): Promise<string> {
    let token: string | undefined;
    try {
      app ??= build();
      token = (await app.acquireTokenByClientCredential({ scopes, skipCache: forceRefresh }))?.accessToken;
    } catch (err) {
      throw toSourceAuthError(err, { ...options, authority });
    }
    if (!token) {
      throw new SourceAuthError({
        kind: "emptyToken",
        message: `The token endpoint at ${authority} answered without an access token. Check the sign-in address (cloud) in Connections → Source.`,
        detail: "acquireTokenByClientCredential returned no accessToken",
      });
    }
    return token;
  }

  // Callers reading users, groups and assignments in parallel share one sign-in instead of racing three.
  let pending: Promise<string> | undefined;
  return {
    getToken({ forceRefresh = false } = {}) {
      if (forceRefresh) return acquire(true);
      pending ??= acquire(false).finally(() => (pending = undefined));
      return pending;
    },
  };
}

/** Providers kept for the process; a profile has one source, so this bounds only credentials changed again and again. */
const MAX_SHARED = 8;
const shared = new Map<string, TokenProvider>();

/**
 * The provider kept for these exact settings and credential: msal caches a token per instance (for about an hour), so
 * cycles that share one sign in once an hour instead of once a cycle. Any change of tenant, app, cloud, credential or
 * CA gets a new one. Connection checks use their own provider: they must sign in for real.
 */
export function sharedTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { tenantId, clientId, cloud, credential, caPem, timeoutMs } = options;
  const key = createHash("sha256")
    .update(JSON.stringify([tenantId, clientId, cloud, credential, caPem ?? null, timeoutMs ?? null]))
    .digest("hex");
  let provider = shared.get(key);
  if (!provider) {
    if (shared.size >= MAX_SHARED) shared.clear();
    provider = createTokenProvider(options);
    shared.set(key, provider);
  }
  return provider;
}

function credentialOptions(credential: SourceCredential): Partial<NodeAuthOptions> {
  if ("clientSecret" in credential) return { clientSecret: credential.clientSecret };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(credential.certificatePem);
  } catch (err) {
    throw badCredential(
      "The certificate file is not a PEM X.509 certificate. Pick the certificate (.pem/.crt) you uploaded to the app registration.",
      err,
    );
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(credential.privateKeyPem);
  } catch (err) {
    throw badCredential(
      "The private key file is not an unencrypted PEM private key. Export the key without a password (PKCS#8 or PKCS#1 PEM).",
      err,
    );
  }
  if (!cert.checkPrivateKey(privateKey)) {
    throw badCredential(
      "The private key does not belong to the certificate. Pick the key file that was created with this certificate.",
      undefined,
    );
  }
  return {
    clientCertificate: {
      // Entra identifies the certificate by its SHA-256 thumbprint (x5t#S256) and may check the chain sent as x5c.
      thumbprintSha256: cert.fingerprint256.replace(/:/g, ""),
      privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      x5c: credential.certificatePem,
    },
  };
}

/** Spells out the endpoints of a non-Microsoft authority so msal sends only the token POST (no discovery calls). */
function customAuthorityOptions(authority: string): Partial<NodeAuthOptions> {
  return {
    knownAuthorities: [new URL(authority).host],
    authorityMetadata: JSON.stringify({
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      issuer: `${authority}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    }),
  };
}

function badCredential(message: string, cause: unknown): SourceAuthError {
  const detail = cause instanceof Error ? cause.message : "certificate and key do not match";
  return new SourceAuthError({ kind: "badCredential", message: `${message} (Connections → Source)`, detail, cause });
}

/** What the admin must do for the AADSTS errors a client-credentials sign-in runs into. */
function aadstsMessage(
  code: string,
  o: TokenProviderOptions & { authority: string },
): { kind: SourceAuthError["kind"]; message: string } | undefined {
  switch (code) {
    case "7000215":
      return {
        kind: "invalidSecret",
        message:
          "Entra ID rejected the client secret (AADSTS7000215). Create a new client secret for the app registration in the Entra admin center and paste it in Connections → Source.",
      };
    case "7000222":
      return {
        kind: "expiredSecret",
        message: `The client secret has expired (AADSTS7000222). Create a new client secret in the ${CONSOLE} → Certificates & secrets and paste it in Connections → Source.`,
      };
    case "700016":
      return {
        kind: "unknownClient",
        message: `Entra ID has no application with client ID ${o.clientId} in tenant ${o.tenantId} (AADSTS700016). Check the Application (client) ID in Connections → Source against the app registration's Overview page, and that the app is registered in this tenant.`,
      };
    case "90002":
    case "900023":
      return {
        kind: "unknownTenant",
        message: `Entra ID found no tenant ${o.tenantId} at ${o.authority} (AADSTS${code}). Check the Directory (tenant) ID in Connections → Source and the cloud (global, US Government, China).`,
      };
    case "700027":
      return {
        kind: "certificateRejected",
        message: `Entra ID did not accept the certificate (AADSTS700027): it is not registered on the app. Upload this certificate's public part in the ${CONSOLE} → Certificates & secrets, or pick the certificate that is registered there in Connections → Source.`,
      };
    default:
      return undefined;
  }
}

/**
 * Throttling or an outage at the token endpoint. msal then refuses identical requests for a while (Retry-After or
 * 60 s) by rethrowing the same error without a status, so the AADSTS code and OAuth error are checked too.
 */
function isTransient(err: unknown, aadsts: string | undefined): boolean {
  if (aadsts === "90033" || (err instanceof AuthError && err.errorCode === "temporarily_unavailable")) return true;
  return err instanceof ServerError && (err.status === 429 || (err.status ?? 0) >= 500);
}

function toSourceAuthError(err: unknown, ctx: TokenProviderOptions & { authority: string }): SourceAuthError {
  if (err instanceof SourceAuthError) return err;
  const host = new URL(ctx.authority).host;
  if (err instanceof AuthError && err.cause instanceof HttpError) {
    const cause = err.cause;
    return new SourceAuthError({
      kind: cause.kind === "tls" ? "tls" : "network",
      message: `Could not get a token from Entra ID (${host}). ${cause.message}`,
      detail: cause.detail,
      cause,
    });
  }
  const detail =
    err instanceof AuthError
      ? `${err.errorCode}: ${err.errorMessage}`
      : err instanceof Error
        ? err.message
        : String(err);
  const aadsts =
    (err instanceof ServerError && err.errorNo ? String(err.errorNo) : undefined) ?? /AADSTS(\d+)/.exec(detail)?.[1];
  const known = aadsts ? aadstsMessage(aadsts, ctx) : undefined;
  if (known) return new SourceAuthError({ ...known, aadsts, detail, cause: err });
  if (isTransient(err, aadsts)) {
    const status = err instanceof ServerError && err.status ? ` (HTTP ${err.status})` : "";
    return new SourceAuthError({
      kind: "throttled",
      message: `Entra ID's token endpoint is busy or failing${status}. The next cycle will try again; nothing needs changing.`,
      detail,
      aadsts,
      cause: err,
    });
  }
  return new SourceAuthError({
    kind: "rejected",
    message: `Entra ID refused to issue a token${aadsts ? ` (AADSTS${aadsts})` : ""}. Check the tenant ID, client ID and credential in Connections → Source; the detail below says what Entra objected to.`,
    detail,
    aadsts,
    cause: err,
  });
}
