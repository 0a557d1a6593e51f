// Certificates generated in-process: the emulator's TLS certificate (clients trust it through
// their custom-CA setting) and client certificates for the certificate credential.

import { X509Certificate, createHash } from "node:crypto";
import { generate } from "selfsigned";

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

let cachedServerCertificate: Promise<ServerCertificate> | undefined;

/** One TLS certificate per process (RSA key generation is slow on a loaded machine); it names 127.0.0.1, not a port. */
export function serverCertificate(): Promise<ServerCertificate> {
  cachedServerCertificate ??= generateServerCertificate();
  return cachedServerCertificate;
}

async function generateServerCertificate(): Promise<ServerCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 7 * 24 * 3600_000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}

export interface ClientCertificate {
  /** Public certificate: register it with the emulator (clients[].certificatePem). */
  certificatePem: string;
  /** PKCS#8 private key PEM: msal-node's clientCertificate.privateKey. */
  privateKeyPem: string;
  /** Hex SHA-256 thumbprint: msal-node's clientCertificate.thumbprintSha256. */
  thumbprintSha256: string;
  /** Hex SHA-1 thumbprint (legacy x5t). */
  thumbprint: string;
}

/** A self-signed RSA certificate for the client certificate credential. */
export async function generateClientCertificate(commonName = "ProvisionDesk test client"): Promise<ClientCertificate> {
  const pems = await generate([{ name: "commonName", value: commonName }], { keySize: 2048, algorithm: "sha256" });
  return { certificatePem: pems.cert, privateKeyPem: pems.private, ...certificateThumbprints(pems.cert) };
}

/** Hex SHA-256 and SHA-1 digests of the certificate's DER encoding. */
export function certificateThumbprints(certificatePem: string): { thumbprintSha256: string; thumbprint: string } {
  const der = new X509Certificate(certificatePem).raw;
  return {
    thumbprintSha256: createHash("sha256").update(der).digest("hex"),
    thumbprint: createHash("sha1").update(der).digest("hex"),
  };
}
