import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";

/** Distinct private CAs kept; a profile names one per side, so this bounds only a CA file edited again and again. */
const MAX_CONTEXTS = 8;
const contexts = new Map<string, SecureContext>();

/**
 * The TLS context that trusts the public roots and a private CA, built once per CA for the process. Building it parses
 * every public root certificate (tens of ms of CPU), and given as `ca` the HTTP client rebuilt it for every connection
 * of every cycle. Keyed by the PEM text, so a changed CA file gets a new context.
 */
export function trustingContext(caPem: string): SecureContext {
  let context = contexts.get(caPem);
  if (!context) {
    if (contexts.size >= MAX_CONTEXTS) contexts.clear();
    context = createSecureContext({ ca: [...rootCertificates, caPem] });
    contexts.set(caPem, context);
  }
  return context;
}
