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

/**
 * A redacted copy of `value`, however deep: an explicit work list instead of recursion (no depth limit to hide a
 * secret below, no stack to overflow), and each object copied once, so cycles end and shared objects stay shared.
 */
export function redactSecrets(value: unknown): unknown {
  const copies = new Map<object, Record<string, unknown>>();
  const work: [object, Record<string, unknown>][] = [];
  const copyOf = (item: unknown, key: string): unknown => {
    if (typeof item === "string") return SECRET_KEY.test(key) ? REDACTED : redactText(item);
    if (item === null || typeof item !== "object") return item;
    let copy = copies.get(item);
    if (!copy) {
      copy = (Array.isArray(item) ? new Array<unknown>(item.length) : {}) as Record<string, unknown>;
      copies.set(item, copy);
      work.push([item, copy]);
    }
    return copy;
  };
  const root = copyOf(value, "");
  for (let next = work.pop(); next; next = work.pop()) {
    const [source, copy] = next;
    for (const [key, item] of Object.entries(source)) copy[key] = copyOf(item, key);
  }
  return root;
}
