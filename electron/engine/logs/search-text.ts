/** Letters that Unicode does not decompose into a base letter plus accents, folded as people type them. */
const FOLDS: Record<string, string> = {
  ø: "o",
  æ: "ae",
  œ: "oe",
  ß: "ss",
  đ: "d",
  ð: "d",
  ł: "l",
  þ: "th",
  ı: "i",
};

const ASCII = /^[ -~]*$/;

/** Lower case without accents, so "bjorn" finds "Björn" and "lodz" finds "Łódź". */
export function foldText(text: string): string {
  // Most names and addresses are plain ASCII: nothing to decompose or fold.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[øæœßđðłþı]/g, (c) => FOLDS[c] ?? c);
}

/** SCIM paths and Graph properties that name an identity (not, say, a department). */
const IDENTITY_ATTRIBUTE = /username|userprincipalname|mail|email|displayname|externalid|mailnickname/i;

export function isIdentityAttribute(path: string): boolean {
  return IDENTITY_ATTRIBUTE.test(path);
}

/** The values one search matches, folded and joined by a newline (which no typed search contains). */
export function searchText(values: Iterable<unknown>): string {
  const parts = new Set<string>();
  for (const value of values) {
    if (typeof value === "string" && value.trim()) parts.add(foldText(value.trim()));
    else if (Array.isArray(value)) for (const v of value) if (typeof v === "string" && v.trim()) parts.add(foldText(v));
  }
  return [...parts].join("\n");
}
