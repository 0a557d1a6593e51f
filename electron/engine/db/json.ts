/** JSON columns: parse what this module wrote; a null column stays null. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  return text == null ? fallback : (JSON.parse(text) as T);
}
