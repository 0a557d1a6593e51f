/**
 * Last line of defence so secrets never cross to the renderer: whatever a handler returns (profiles are `unknown` in the
 * contract) is scrubbed of string values under secret-looking keys and of bearer tokens embedded in text.
 * Booleans stay (the renderer is told `{clientSecret: true}`, never the value).
 */
const SECRET_KEY = /secret|password|passwd|token|authorization|privatekey|apikey|credential_value/i;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
export const REDACTED = "[redacted]";

export const redactText = (text: string): string => text.replace(BEARER, `$1 ${REDACTED}`);

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
