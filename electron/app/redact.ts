/**
 * Last line of defence so secrets never cross to the renderer: whatever a handler returns is scrubbed of string values
 * under secret-looking keys, and of bearer tokens and URL passwords embedded in text.
 * Booleans stay (the renderer is told `{clientSecret: true}`, never the value).
 */
// A certificate's privateKeyFile is a path the admin chose, not a secret: the window shows and saves it back.
const SECRET_KEY = /secret|password|passwd|token|authorization|privatekey(?!file$)|apikey|credential_value/i;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** user:password@ inside a URL (profiles refuse them, but messages may quote a URL from elsewhere). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;
export const REDACTED = "[redacted]";

export const redactText = (text: string): string =>
  text.replace(BEARER, `$1 ${REDACTED}`).replace(URL_CREDENTIALS, `$1${REDACTED}@`);

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (depth > 32 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = typeof item === "string" && SECRET_KEY.test(key) ? REDACTED : redactSecrets(item, depth + 1);
  }
  return out;
}
