// .NET-style date handling for CDate, FormatDateTime and friends: custom format strings
// ("yyyyMMddHHmmss.fZ", "M/d/yyyy h:mm:ss tt", ...) for parsing and formatting, with the
// invariant culture. All instants are UTC milliseconds; input without an offset is UTC.

export class DateFormatError extends Error {}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** .NET standard formats (invariant culture) that admins use with FormatDateTime. */
const STANDARD: Record<string, string> = {
  o: "yyyy-MM-ddTHH:mm:ss.fffffffK",
  O: "yyyy-MM-ddTHH:mm:ss.fffffffK",
  s: "yyyy-MM-ddTHH:mm:ss",
  u: "yyyy-MM-dd HH:mm:ssZ",
  d: "MM/dd/yyyy",
  D: "dddd, dd MMMM yyyy",
  t: "HH:mm",
  T: "HH:mm:ss",
  g: "MM/dd/yyyy HH:mm",
  G: "MM/dd/yyyy HH:mm:ss",
};

type Part = { literal: string } | { spec: string; count: number };

const SPEC_CHARS = new Set(["y", "M", "d", "h", "H", "m", "s", "f", "F", "t", "z", "K", "g"]);

/** Splits a custom format into specifiers and literal text. */
function tokenizeFormat(format: string): Part[] {
  // A single letter is a .NET standard format; "%d" is the custom specifier d alone.
  const fmt = format.length === 1 ? STANDARD[format] : format;
  if (fmt === undefined)
    throw new DateFormatError(`"${format}" is not a supported date format: use a custom format such as "yyyy-MM-dd".`);
  const parts: Part[] = [];
  for (let i = 0; i < fmt.length;) {
    const c = fmt[i]!;
    if (c === "'" || c === '"') {
      const close = fmt.indexOf(c, i + 1);
      if (close < 0) throw new DateFormatError(`The date format "${format}" has an unclosed ${c}quoted${c} section.`);
      parts.push({ literal: fmt.slice(i + 1, close) });
      i = close + 1;
    } else if (c === "\\") {
      parts.push({ literal: fmt[i + 1] ?? "" });
      i += 2;
    } else if (c === "%") {
      i++;
    } else if (SPEC_CHARS.has(c)) {
      let n = 1;
      while (fmt[i + n] === c) n++;
      parts.push({ spec: c, count: n });
      i += n;
    } else {
      parts.push({ literal: c });
      i++;
    }
  }
  return parts;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

export function formatDotNet(ms: number, format: string): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new DateFormatError("The date is out of range.");
  const hour12 = d.getUTCHours() % 12 || 12;
  const fraction = pad(d.getUTCMilliseconds(), 3) + "0000";
  let out = "";
  for (const p of tokenizeFormat(format)) {
    if ("literal" in p) {
      out += p.literal;
      continue;
    }
    const n = p.count;
    switch (p.spec) {
      case "y": {
        const y = d.getUTCFullYear();
        out += n === 1 ? String(y % 100) : n === 2 ? pad(y % 100, 2) : pad(y, n);
        break;
      }
      case "M":
        out +=
          n >= 4
            ? MONTHS[d.getUTCMonth()]
            : n === 3
              ? MONTHS[d.getUTCMonth()]!.slice(0, 3)
              : pad(d.getUTCMonth() + 1, n);
        break;
      case "d":
        out += n >= 4 ? DAYS[d.getUTCDay()] : n === 3 ? DAYS[d.getUTCDay()]!.slice(0, 3) : pad(d.getUTCDate(), n);
        break;
      case "h":
        out += pad(hour12, Math.min(n, 2));
        break;
      case "H":
        out += pad(d.getUTCHours(), Math.min(n, 2));
        break;
      case "m":
        out += pad(d.getUTCMinutes(), Math.min(n, 2));
        break;
      case "s":
        out += pad(d.getUTCSeconds(), Math.min(n, 2));
        break;
      case "f":
        out += fraction.slice(0, Math.min(n, 7));
        break;
      case "F": {
        const f = fraction.slice(0, Math.min(n, 7)).replace(/0+$/, "");
        // .NET drops the decimal point too when an all-zero F fraction prints nothing.
        if (f === "" && out.endsWith(".")) out = out.slice(0, -1);
        out += f;
        break;
      }
      case "t":
        out += (d.getUTCHours() < 12 ? "AM" : "PM").slice(0, n === 1 ? 1 : 2);
        break;
      case "z":
        out += n === 1 ? "+0" : n === 2 ? "+00" : "+00:00";
        break;
      case "K":
        out += "Z";
        break;
      case "g":
        out += "A.D.";
        break;
    }
  }
  return out;
}

/** Milliseconds of a UTC date, including years below 100 that Date.UTC would shift. */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  date.setUTCFullYear(y);
  return date.getUTCMonth() === mo - 1 ? date.getTime() : null;
}

function offsetMinutes(text: string | undefined): number {
  if (!text || text.toUpperCase() === "Z") return 0;
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(text)!;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** DateTime.ParseExact with the invariant culture; null when the text does not fit the format. */
export function parseExactDotNet(text: string, format: string): number | null {
  const fields: string[] = [];
  let pattern = "";
  for (const p of tokenizeFormat(format)) {
    if ("literal" in p) {
      pattern += escapeRegex(p.literal);
      continue;
    }
    const n = p.count;
    const group = (re: string) => {
      fields.push(p.spec + (p.spec === "M" && n >= 3 ? "name" : ""));
      pattern += `(${re})`;
    };
    switch (p.spec) {
      case "y":
        group(n === 1 ? "\\d{1,4}" : n === 2 ? "\\d{2}" : `\\d{${n},${Math.max(n, 4)}}`);
        break;
      case "M":
        group(
          n >= 4
            ? MONTHS.join("|")
            : n === 3
              ? MONTHS.map((m) => m.slice(0, 3)).join("|")
              : n === 1
                ? "\\d{1,2}"
                : "\\d{2}",
        );
        break;
      case "d":
        if (n >= 3) pattern += `(?:${(n === 3 ? DAYS.map((x) => x.slice(0, 3)) : DAYS).join("|")})`;
        else group(n === 1 ? "\\d{1,2}" : "\\d{2}");
        break;
      case "h":
      case "H":
      case "m":
      case "s":
        group(n === 1 ? "\\d{1,2}" : "\\d{2}");
        break;
      case "f":
        group(`\\d{${Math.min(n, 7)}}`);
        break;
      case "F":
        group(`\\d{0,${Math.min(n, 7)}}`);
        break;
      case "t":
        group(n === 1 ? "[AP]" : "AM|PM");
        break;
      case "z":
        group(n === 1 ? "[+-]\\d{1,2}" : n === 2 ? "[+-]\\d{2}" : "[+-]\\d{2}:\\d{2}");
        break;
      case "K":
        group("Z|[+-]\\d{2}:\\d{2}|");
        break;
      case "g":
        pattern += "(?:A\\.D\\.|AD)";
        break;
    }
  }
  const m = new RegExp(`^${pattern}$`, "i").exec(text.trim());
  if (!m) return null;
  const v = { y: 1, M: 1, d: 1, h: 0, H: 0, m: 0, s: 0, ms: 0, pm: undefined as boolean | undefined, offset: 0 };
  fields.forEach((field, i) => {
    const raw = m[i + 1] ?? "";
    switch (field) {
      case "y":
        v.y = raw.length <= 2 ? (Number(raw) < 50 ? 2000 : 1900) + Number(raw) : Number(raw);
        break;
      case "Mname":
        v.M = MONTHS.findIndex((name) => name.toLowerCase().startsWith(raw.toLowerCase())) + 1;
        break;
      case "f":
      case "F":
        v.ms = Math.floor(Number(`0.${raw || "0"}`) * 1000);
        break;
      case "t":
        v.pm = raw.toUpperCase().startsWith("P");
        break;
      case "z":
      case "K":
        v.offset = offsetMinutes(raw);
        break;
      case "h":
        v.H = Number(raw) % 12;
        break;
      default:
        v[field as "M" | "d" | "H" | "m" | "s"] = Number(raw);
    }
  });
  if (v.pm) v.H = (v.H % 12) + 12;
  const ms = utc(v.y, v.M, v.d, v.H, v.m, v.s, v.ms);
  return ms === null ? null : ms - v.offset * 60_000;
}

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const US =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const GENERALIZED = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{4})?$/i;

/** DateTime.Parse for the forms seen in directories: ISO 8601 (with or without time and offset), M/d/yyyy h:mm:ss tt, LDAP generalized time. */
export function parseDotNet(text: string): number | null {
  const t = text.trim();
  let m = ISO.exec(t) ?? GENERALIZED.exec(t);
  if (m) {
    const frac = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
    const ms = utc(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), frac);
    return ms === null ? null : ms - offsetMinutes(m[8]) * 60_000;
  }
  m = US.exec(t);
  if (m) {
    let hour = +(m[4] ?? 0);
    if (m[7]) hour = (hour % 12) + (m[7].toUpperCase() === "PM" ? 12 : 0);
    const ms = utc(+m[3]!, +m[1]!, +m[2]!, hour, +(m[5] ?? 0), +(m[6] ?? 0), 0);
    return ms === null ? null : ms - offsetMinutes(m[8]) * 60_000;
  }
  return null;
}
