import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import type { Profile } from "../../../shared/config/profile";
import { createHttpClient, type HttpClient, type HttpClientOptions } from "../http";
import type { SecretName, SecretStore } from "../secrets/secret-store";
import { SECRET_ENV_VARS } from "../secrets/env-override";
import { createSourceConnection, type SourceConnection } from "../source";
import type { SourceCredential } from "../source/tokens";
import { createScimClient, type ScimClient } from "../target";
import { EngineError } from "./errors";
import { stopWhenCancelled } from "../cycle/cancel";

const SECRET_WORDS: Record<SecretName, string> = {
  "client-secret": "client secret of the Entra app registration",
  "scim-token": "SCIM secret token of the target app",
  "smtp-password": "SMTP password",
};

/** A missing secret, with where to put it. */
export function missingSecretError(profileName: string, name: SecretName): EngineError {
  const variable = SECRET_ENV_VARS[name];
  return new EngineError(
    "SECRET_MISSING",
    `The ${SECRET_WORDS[name]} is not set for profile "${profileName}". Store it with "provision-desk secret set ${name}" ` +
      `(or in the app's settings)${variable ? `, or set ${variable} for headless use` : ""}.`,
  );
}

async function requireSecret(secrets: SecretStore, profileName: string, name: SecretName): Promise<string> {
  const value = await secrets.get(profileName, name);
  if (!value) throw missingSecretError(profileName, name);
  return value;
}

/** Reads a file the profile names; relative paths are taken from the data folder. */
async function readProfileFile(dataDir: string, file: string, setting: string): Promise<string> {
  const path = isAbsolute(file) ? file : resolve(dataDir, file);
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new EngineError(
      "config",
      `Cannot read ${path}, named in the profile's ${setting} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Fix the path in the profile and import it again.`,
    );
  }
}

const optionalFile = (dataDir: string, file: string | undefined, setting: string) =>
  file === undefined ? Promise.resolve(undefined) : readProfileFile(dataDir, file, setting);

/**
 * The HTTP clients of the cycles, kept from one to the next, one per side while its settings stay the same: the next
 * cycle reuses their open connections (a cycle that opened its own made a new TLS session with Graph each time). A
 * changed setting replaces that side's client; idle connections still close after the HTTP client's keep-alive time.
 */
export interface KeptClients {
  get(side: "source" | "target", options: HttpClientOptions): HttpClient;
  close(): Promise<void>;
}

export function keptClients(): KeptClients {
  const kept = new Map<"source" | "target", { key: string; http: HttpClient }>();
  return {
    get(side, options) {
      const key = JSON.stringify(options);
      const had = kept.get(side);
      if (had?.key === key) return had.http;
      void had?.http.close();
      const http = createHttpClient(options);
      kept.set(side, { key, http });
      return http;
    },
    async close() {
      await Promise.allSettled([...kept.values()].map((k) => k.http.close()));
      kept.clear();
    },
  };
}

/** A side's HTTP client: kept between cycles, or made for the caller (who closes it). */
const httpClient = (side: "source" | "target", options: HttpClientOptions, kept: KeptClients | undefined) =>
  kept ? kept.get(side, options) : createHttpClient(options);

export interface SourceClients extends SourceConnection {
  http: HttpClient;
}

/**
 * With `signal` (a cycle's cancel), nothing more is sent to Graph once it is aborted; with `shareToken` (cycles), the
 * token of the previous cycle is used while it is valid; with `kept` (cycles), so are its connections.
 */
export async function openSource(
  profile: Profile,
  secrets: SecretStore,
  dataDir: string,
  options: { signal?: AbortSignal; shareToken?: boolean; kept?: KeptClients } = {},
): Promise<SourceClients> {
  const { signal } = options;
  const { source } = profile;
  const caPem = await optionalFile(dataDir, source.caFile, "source.caFile");
  const credential: SourceCredential =
    source.credential.type === "secret"
      ? { clientSecret: await requireSecret(secrets, profile.name, "client-secret") }
      : {
          certificatePem: await readProfileFile(
            dataDir,
            source.credential.certificateFile,
            "source.credential.certificateFile",
          ),
          privateKeyPem: await readProfileFile(
            dataDir,
            source.credential.privateKeyFile,
            "source.credential.privateKeyFile",
          ),
        };
  const http = httpClient("source", { caPem, userAgent: "ProvisionDesk" }, options.kept);
  const connection = createSourceConnection({
    tenantId: source.tenantId,
    clientId: source.clientId,
    cloud: source.cloud,
    credential,
    caPem,
    http: signal ? stopWhenCancelled(http, signal) : http,
    shareToken: options.shareToken ?? false,
  });
  return { ...connection, http };
}

export interface TargetClients {
  scim: ScimClient;
  http: HttpClient;
}

/** With `signal` (a cycle's cancel), nothing more is sent to the target once it is aborted; `kept`: as openSource. */
export async function openTarget(
  profile: Profile,
  secrets: SecretStore,
  dataDir: string,
  signal?: AbortSignal,
  kept?: KeptClients,
): Promise<TargetClients> {
  const { target } = profile;
  const caPem = await optionalFile(dataDir, target.caFile, "target.caFile");
  const token = await requireSecret(secrets, profile.name, "scim-token");
  const http = httpClient(
    "target",
    {
      caPem,
      timeoutMs: target.timeoutSeconds * 1000,
      requestsPerSecond: target.requestsPerSecond,
      concurrency: target.concurrency,
      userAgent: "ProvisionDesk",
    },
    kept,
  );
  const scim = createScimClient({
    tenantUrl: target.tenantUrl,
    token,
    dialect: target.dialect,
    preset: target.preset,
    http: signal ? stopWhenCancelled(http, signal) : http,
  });
  return { scim, http };
}
