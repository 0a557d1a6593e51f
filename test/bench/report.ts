// Formatting of the benchmark's output: the machine, the table, the ratios and the published reference.
import { cpus, freemem, loadavg, totalmem } from "node:os";
import type { CycleMeasure, FloorMeasure } from "./world";

/** Entra's documented initial-cycle speed (how-provisioning-works.md): minutes per object, users + groups + memberships. */
export const ENTRA_MINUTES_PER_OBJECT = { fast: 0.01, slow: 0.08 } as const;
/** The request rate Entra expects a SCIM target to handle per tenant. */
export const TARGET_RATE = 25;

export interface Row {
  cycle: string;
  engine: string;
  m: CycleMeasure;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const fixed = (n: number, digits: number) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const perMinute = (m: CycleMeasure) => (m.objects > 0 ? m.objects / (m.wallMs / 60_000) : null);

export function machine(): string {
  const cpu = cpus();
  const gb = (b: number) => fixed(b / 2 ** 30, 1);
  return [
    `Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown CPU"}), ${gb(totalmem())} GB RAM (${gb(freemem())} GB free), ` +
      `Node ${process.version}, ${process.platform}/${process.arch}`,
    `Load average at start: ${loadavg()
      .map((l) => fixed(l, 2))
      .join(", ")} — the machine may be shared and loaded: compare the ratios ` +
      "(both engines measured in this run), not the absolute times, across machines.",
  ].join("\n");
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function cycleTable(rows: Row[]): string {
  const header = [
    "Cycle",
    "Engine",
    "Wall s",
    "Engine CPU s",
    "Emulators CPU s",
    "Objects",
    "Target req",
    "writes",
    "lookups",
    "other GETs",
    "Graph req",
    "Target req/obj",
    "Objects/min",
    "Evaluated",
    "Peak RSS MB",
  ];
  return table(
    header,
    rows.map(({ cycle, engine, m }) => {
      const rate = perMinute(m);
      return [
        cycle,
        engine,
        fixed(m.wallMs / 1000, 2),
        fixed(m.engineCpuMs / 1000, 2),
        fixed(m.cpuMs / 1000, 2),
        int(m.objects),
        int(m.target.total),
        int(m.target.writes),
        int(m.target.lookups),
        int(m.target.otherReads),
        int(m.graph),
        m.objects > 0 ? fixed(m.target.total / m.objects, 2) : "–",
        rate === null ? "–" : int(rate),
        int(m.evaluated),
        int(m.peakRss / 2 ** 20),
      ];
    }),
  );
}

/** ProvisionDesk / baseline for time and target requests (below 1 means ProvisionDesk needs less). */
export function ratioLine(label: string, ours: CycleMeasure, baseline: CycleMeasure): string {
  const ratio = (a: number, b: number, better: string, worse: string) => {
    if (a <= 0 || b <= 0) return "–";
    return `${fixed(a / b, 3)} (${a <= b ? `${fixed(b / a, 1)}× ${better}` : `${fixed(a / b, 1)}× ${worse}`})`;
  };
  return (
    `${label}: wall time ${ratio(ours.wallMs, baseline.wallMs, "faster", "slower")}, ` +
    `engine CPU ${ratio(ours.engineCpuMs, baseline.engineCpuMs, "less", "more")}, ` +
    `target requests ${ratio(ours.target.total, baseline.target.total, "fewer", "more")}`
  );
}

/** Entra's published speed for the same number of objects, and the time the target's request budget alone would take. */
export function referenceLines(ours: CycleMeasure, baseline: CycleMeasure): string {
  const { fast, slow } = ENTRA_MINUTES_PER_OBJECT;
  const minutes = (requests: number) => fixed(requests / TARGET_RATE / 60, 1);
  const rate = perMinute(ours);
  return [
    `Reference (published by Microsoft, NOT measured here): Entra's initial cycle takes ${fast}–${slow} minutes per object ` +
      `(users + groups + memberships), i.e. ${fixed(1 / slow, 1)}–${int(1 / fast)} objects/min; for these ${int(ours.objects)} objects ` +
      `that is ${fixed(ours.objects * fast, 0)}–${fixed(ours.objects * slow, 0)} minutes.`,
    `ProvisionDesk measured here: ${rate === null ? "–" : int(rate)} objects/min against local emulators (wall time, emulators included).`,
    `Computed, not measured: at the ${TARGET_RATE} requests/s Entra asks a target to handle, the first cycle's target requests alone ` +
      `take ${minutes(ours.target.total)} min for ProvisionDesk and ${minutes(baseline.target.total)} min in Entra's request pattern.`,
  ].join("\n");
}

export interface FloorRow {
  cycle: string;
  ours: CycleMeasure;
  floor: FloorMeasure;
}

/** ProvisionDesk / floor: the goals are target requests ≤ 1.05× and wall time ≤ 1.25× the floor's (loopback). */
export function floorTable(rows: FloorRow[]): string {
  const ratio = (a: number, b: number) => (b > 0 ? fixed(a / b, 2) : a === 0 ? "1.00" : "∞");
  const header = [
    "Cycle",
    "",
    "Target req PD",
    "floor",
    "PD/floor",
    "Graph req PD",
    "floor",
    "Wall s PD",
    "floor",
    "PD/floor",
    "Client CPU s PD",
    "floor",
    "Peak RSS MB",
  ];
  return table(
    header,
    rows.map(({ cycle, ours, floor }) => [
      cycle,
      "",
      int(ours.target.total),
      int(floor.target.total),
      ratio(ours.target.total, floor.target.total),
      int(ours.graph),
      int(floor.graph),
      fixed(ours.wallMs / 1000, 2),
      fixed(floor.wallMs / 1000, 2),
      ratio(ours.wallMs, floor.wallMs),
      fixed(ours.engineCpuMs / 1000, 2),
      fixed(floor.clientCpuMs / 1000, 2),
      int(ours.peakRss / 2 ** 20),
    ]),
  );
}

/** Under a target rate limit: the 429 answers each side got (a client pacing at the limit should get none). */
export function throttledLine(rows: FloorRow[]): string {
  const cycles = rows.map(
    ({ cycle, ours, floor }) =>
      `cycle ${cycle.split(" ")[0]} PD ${int(ours.target.throttled)}, floor ${int(floor.target.throttled)}`,
  );
  return `429 answers from the target (included in its requests above): ${cycles.join("; ")}.`;
}
