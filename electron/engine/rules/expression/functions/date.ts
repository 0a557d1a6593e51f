// Date functions. Dates are UTC instants (DateTimeValue) that print as "M/d/yyyy h:mm:ss tt",
// like Entra's; date arithmetic follows VB's DateAdd/DateDiff.
import type { Arg, FunctionDef } from "./types";
import type { Value } from "../values";
import { DateTimeValue, EvalFailure, isNullish, toInteger, toText } from "../values";
import { DateFormatError, formatDotNet, parseDotNet, parseExactDotNet } from "../dotnet-date";

/** 100-ns ticks between 1601-01-01 (Active Directory's epoch) and 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;
const MS_PER = { s: 1_000, n: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function toDate(arg: Arg, fn: string): DateTimeValue | null {
  const v = arg.get();
  if (isNullish(v)) return null;
  if (v instanceof DateTimeValue) return v;
  const t = toText(v, fn)!;
  const ms = parseDotNet(t);
  if (ms === null)
    throw new EvalFailure(
      "InvalidDate",
      `${fn} cannot read "${t}" as a date; use an ISO 8601 date such as 2024-03-16T07:00:00Z, or FormatDateTime to convert it.`,
      arg.node,
    );
  return new DateTimeValue(ms);
}

/** VB intervals: the documented yyyy, m, d, ww, h, n, s plus q (quarter), y and w (day). */
export const DATE_INTERVALS = ["yyyy", "q", "m", "y", "d", "w", "ww", "h", "n", "s"];

function interval(arg: Arg, fn: string): string {
  const i = toText(arg.get(), fn)?.toLowerCase() ?? "";
  if (!DATE_INTERVALS.includes(i)) {
    throw new EvalFailure(
      "InvalidInterval",
      `${fn}: "${i}" is not an interval; use yyyy, m, d, ww, h, n or s.`,
      arg.node,
    );
  }
  return i;
}

/** .NET AddMonths: keeps the day of month when it exists, else takes the month's last day. */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const out = new Date(ms);
  out.setUTCFullYear(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
  const last = new Date(out.getTime());
  last.setUTCFullYear(out.getUTCFullYear(), out.getUTCMonth() + 1, 0);
  out.setUTCDate(Math.min(d.getUTCDate(), last.getUTCDate()));
  return out.getTime();
}

function checked(ms: number, fn: string): DateTimeValue {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15)
    throw new EvalFailure("InvalidDate", `${fn}: the resulting date is out of range.`);
  return new DateTimeValue(ms);
}

const calendarMonths = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();
/** Moves an instant back to the Sunday that starts its week, keeping the time of day. */
const weekStart = (ms: number) => ms - new Date(ms).getUTCDay() * MS_PER.d;

export const dateFunctions: FunctionDef[] = [
  {
    name: "CDate",
    signature: "CDate(expression)",
    min: 1,
    max: 1,
    run: (args) => toDate(args[0]!, "CDate"),
  },
  { name: "Now", signature: "Now()", min: 0, max: 0, run: (_args, rt) => new DateTimeValue(rt.now().getTime()) },
  {
    name: "DateAdd",
    signature: "DateAdd(interval, value, dateTime)",
    min: 3,
    max: 3,
    run(args) {
      const i = interval(args[0]!, "DateAdd");
      const n = toInteger(args[1]!.get(), "DateAdd", "value");
      const date = toDate(args[2]!, "DateAdd");
      if (date === null) return null;
      if (i === "yyyy" || i === "q" || i === "m")
        return checked(addMonths(date.ms, n * (i === "yyyy" ? 12 : i === "q" ? 3 : 1)), "DateAdd");
      const unit = i === "ww" ? 7 * MS_PER.d : i === "y" || i === "w" ? MS_PER.d : MS_PER[i as keyof typeof MS_PER];
      return checked(date.ms + n * unit, "DateAdd");
    },
  },
  {
    name: "DateDiff",
    signature: "DateDiff(interval, date1, date2)",
    min: 3,
    max: 3,
    run(args) {
      const i = interval(args[0]!, "DateDiff");
      const d1 = toDate(args[1]!, "DateDiff");
      const d2 = toDate(args[2]!, "DateDiff");
      if (d1 === null || d2 === null) return null;
      const a = new Date(d1.ms);
      const b = new Date(d2.ms);
      switch (i) {
        case "yyyy":
          return b.getUTCFullYear() - a.getUTCFullYear();
        case "q":
          return Math.floor(calendarMonths(b) / 3) - Math.floor(calendarMonths(a) / 3);
        case "m":
          return calendarMonths(b) - calendarMonths(a);
        case "ww":
          // VB counts calendar weeks (Sunday boundaries) crossed.
          return Math.trunc((weekStart(d2.ms) - weekStart(d1.ms)) / (7 * MS_PER.d));
        case "w":
          return Math.trunc((d2.ms - d1.ms) / (7 * MS_PER.d));
        case "y":
          return Math.trunc((d2.ms - d1.ms) / MS_PER.d);
        default:
          return Math.trunc((d2.ms - d1.ms) / MS_PER[i as keyof typeof MS_PER]);
      }
    },
  },
  {
    name: "DateFromNum",
    signature: "DateFromNum(value)",
    min: 1,
    max: 1,
    run(args) {
      const t = toText(args[0]!.get(), "DateFromNum")?.trim();
      if (t === undefined || t === null) return null;
      if (!/^\d+$/.test(t))
        throw new EvalFailure(
          "InvalidNumber",
          `DateFromNum needs an Active Directory date number (100-ns intervals since 1601) but got "${t}".`,
          args[0]!.node,
        );
      return checked(Number((BigInt(t) - FILETIME_UNIX_EPOCH) / 10_000n), "DateFromNum");
    },
  },
  {
    name: "NumFromDate",
    signature: "NumFromDate(value)",
    min: 1,
    max: 1,
    run(args) {
      const date = toDate(args[0]!, "NumFromDate");
      return date === null ? null : (BigInt(date.ms) * 10_000n + FILETIME_UNIX_EPOCH).toString();
    },
  },
  {
    name: "FormatDateTime",
    signature: "FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat)",
    min: 3,
    max: 4,
    run(args) {
      // The older three-argument form has no dateTimeStyles.
      const [source, inputArg, outputArg] =
        args.length === 4 ? [args[0]!, args[2]!, args[3]!] : [args[0]!, args[1]!, args[2]!];
      const v: Value = source.get();
      if (isNullish(v)) return null;
      const inputFormat = toText(inputArg.get(), "FormatDateTime") ?? "";
      const outputFormat = toText(outputArg.get(), "FormatDateTime") ?? "";
      try {
        let ms: number | null;
        if (v instanceof DateTimeValue) ms = v.ms;
        else {
          const t = toText(v, "FormatDateTime")!;
          ms = parseExactDotNet(t, inputFormat);
          if (ms === null)
            throw new EvalFailure(
              "InvalidDate",
              `FormatDateTime: "${t}" does not match the input format "${inputFormat}".`,
              source.node,
            );
        }
        return formatDotNet(ms, outputFormat);
      } catch (e) {
        if (e instanceof DateFormatError)
          throw new EvalFailure("InvalidFormat", `FormatDateTime: ${e.message}`, args[args.length - 1]!.node);
        throw e;
      }
    },
  },
];
