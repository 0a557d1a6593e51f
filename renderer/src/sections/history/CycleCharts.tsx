import { useEffect, useMemo, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { CycleSummary } from "../../../../shared/ipc/model";
import { Card, ColumnHeads } from "../../components/ui";
import { formatDateTime, formatDuration, outcomeLabel, plural } from "../../format";
import {
  ACTIONS,
  actionLabel,
  DURATION_STEPS,
  durationTicks,
  historyOf,
  stacked,
  type History,
  type HistoryPoint,
} from "./cycle-history";

/** Palette variables (styles.css, light-dark()) for each series; the legend's swatches use the same ones. */
const actionColour = { create: "--ok", update: "--accent", disable: "--warn", delete: "--code-attribute" } as const;

/** A palette variable as the canvas needs it: resolved for the light or dark scheme in force. */
function resolve(host: HTMLElement, variable: string): string {
  const probe = document.createElement("span");
  probe.style.color = `var(${variable})`;
  host.appendChild(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}

/** Changes whenever the colour scheme may have: the theme setting (data-theme) or the system's preference. */
function useSchemeKey(): number {
  const [key, setKey] = useState(0);
  useEffect(() => {
    const bump = () => setKey((k) => k + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    media.addEventListener("change", bump);
    return () => {
      observer.disconnect();
      media.removeEventListener("change", bump);
    };
  }, []);
  return key;
}

interface ChartSpec {
  /** One array per series, a value per point. */
  values: number[][];
  colours: string[];
  kind: "bars" | "line";
  /** Y axis tick text, for all ticks at once (a duration axis picks one unit for all). */
  ticks(values: number[]): string[];
  /** Y axis steps, when the default round numbers do not suit (durations). */
  steps?: number[];
}

/** The axes' font (uPlot's default size), set explicitly so the labels can be measured in it. */
const AXIS_FONT = "12px system-ui, sans-serif";
let measurer: CanvasRenderingContext2D | null = null;
/** Width of the y axis: the widest label, the tick and the gap beside it, so no label is clipped whatever its unit. */
function fitAxis(labels: readonly string[] | null): number {
  measurer ??= document.createElement("canvas").getContext("2d")!;
  measurer.font = AXIS_FONT;
  const widest = Math.max(0, ...(labels ?? []).map((label) => measurer!.measureText(label).width));
  return Math.ceil(widest) + Y_TICK + Y_GAP + 4;
}
const Y_TICK = 6;
const Y_GAP = 5;

/** One uPlot chart, sized to its container; redrawn when the data, the width or the colour scheme change. */
function Plot({ points, spec }: { points: HistoryPoint[]; spec: (host: HTMLElement) => ChartSpec }) {
  const host = useRef<HTMLDivElement>(null);
  const scheme = useSchemeKey();
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = host.current!;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry!.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const element = host.current!;
    if (width <= 0) return;
    const { values, colours, kind, ticks, steps } = spec(element);
    const ink = resolve(element, "--muted");
    const line = resolve(element, "--line");
    const axis = { stroke: ink, font: AXIS_FONT, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 } };
    const bars = uPlot.paths.bars!({ size: [0.7, 36], gap: 1 });
    const chart = new uPlot(
      {
        width,
        height: 150,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, points.length - 0.5] },
          y: { range: (_, __, max) => [0, max > 0 ? max * 1.15 : 1] },
        },
        axes: [
          {
            ...axis,
            incrs: [1, 2, 5, 10],
            values: (_, ticks) => ticks.map((t) => (Number.isInteger(t) && points[t] ? `#${points[t].id}` : "")),
          },
          {
            ...axis,
            ticks: { ...axis.ticks, size: Y_TICK },
            gap: Y_GAP,
            size: (_, labels) => fitAxis(labels),
            ...(steps ? { incrs: steps } : {}),
            values: (_, at) => {
              const labels = ticks(at);
              // The labels as drawn on the canvas, for the end-to-end checks of the axis.
              element.dataset.yLabels = labels.join("|");
              return labels;
            },
          },
        ],
        series: [
          {},
          ...values.map((_, k) => ({
            stroke: colours[k],
            fill: kind === "bars" ? colours[k] : undefined,
            width: kind === "bars" ? 0 : 2,
            points: { show: kind === "line", fill: colours[k] },
            ...(kind === "bars" ? { paths: bars } : {}),
          })),
        ],
      },
      [points.map((_, i) => i), ...values],
      element,
    );
    return () => chart.destroy();
  }, [points, spec, width, scheme]);
  // The numbers are in the summary and the table below: the drawing itself is skipped by screen readers.
  return <div ref={host} className="history-plot" aria-hidden="true" />;
}

/** Counts are whole: a fractional tick gets no label. */
const countTicks = (values: number[]) => values.map((v) => (Number.isInteger(v) ? String(v) : ""));

const changesSpec =
  (points: HistoryPoint[]) =>
  (host: HTMLElement): ChartSpec => ({
    values: stacked(points),
    colours: ACTIONS.map((a) => resolve(host, actionColour[a])),
    kind: "bars",
    ticks: countTicks,
  });
const durationSpec =
  (points: HistoryPoint[]) =>
  (host: HTMLElement): ChartSpec => ({
    values: [points.map((p) => p.durationMs)],
    colours: [resolve(host, "--accent")],
    kind: "line",
    ticks: durationTicks,
    steps: DURATION_STEPS,
  });
const failuresSpec =
  (points: HistoryPoint[]) =>
  (host: HTMLElement): ChartSpec => ({
    values: [points.map((p) => p.failed)],
    colours: [resolve(host, "--bad")],
    kind: "bars",
    ticks: countTicks,
  });

/** The charts in one sentence, for everyone (and the screen reader's way in). */
export function describeHistory({ points, totals, longestMs }: History): string {
  const changes = ACTIONS.map((a) => `${totals[a]} ${actionLabel[a].toLowerCase()}`).join(", ");
  const failures = totals.failed
    ? `${plural(totals.failed, "failure")} in ${plural(totals.cyclesWithFailures, "cycle")}`
    : "no failures";
  return `Last ${plural(points.length, "cycle")}: ${changes} (users and groups); ${failures}; the longest took ${formatDuration(longestMs)}.`;
}

function HistoryTable({ points }: { points: HistoryPoint[] }) {
  return (
    <details className="history-numbers">
      <summary>The numbers behind the charts</summary>
      <table className="table compact" data-testid="history-table">
        <ColumnHeads
          columns={["Cycle", "Started", "Outcome", ...ACTIONS.map((a) => actionLabel[a]), "Failed", "Duration"]}
        />
        <tbody>
          {[...points].reverse().map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.id}</th>
              <td>{formatDateTime(p.startedAt)}</td>
              <td>{outcomeLabel[p.outcome]}</td>
              {ACTIONS.map((a) => (
                <td key={a}>{p.changes[a]}</td>
              ))}
              <td>{p.failed}</td>
              <td>{formatDuration(p.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Charts of the last provisioning cycles: changes by action, duration and failures, with the numbers as text. */
export function CycleCharts({ cycles }: { cycles: readonly CycleSummary[] }) {
  const history = useMemo(() => historyOf(cycles), [cycles]);
  const { points, totals } = history;
  // Rebuilt only with new data, so the charts are not redrawn on every render.
  const specs = useMemo(
    () => ({ changes: changesSpec(points), duration: durationSpec(points), failures: failuresSpec(points) }),
    [points],
  );
  if (!points.length) return null;
  return (
    <Card title="History" className="wide" testId="history-card">
      <p
        className="history-summary"
        data-testid="history-summary"
        data-cycles={points.length}
        data-created={totals.create}
        data-disabled={totals.disable}
        data-failed={totals.failed}
      >
        {describeHistory(history)} Dry runs are not counted.
      </p>
      <div className="history-charts">
        <figure className="history-chart">
          <figcaption>Changes by action</figcaption>
          <ul className="history-legend">
            {ACTIONS.map((a) => (
              <li key={a}>
                <span className={`swatch swatch-${a}`} aria-hidden="true" />
                {actionLabel[a]}
              </li>
            ))}
          </ul>
          <Plot points={points} spec={specs.changes} />
        </figure>
        <figure className="history-chart">
          <figcaption>Duration</figcaption>
          <Plot points={points} spec={specs.duration} />
        </figure>
        <figure className="history-chart">
          <figcaption>Failed objects</figcaption>
          <Plot points={points} spec={specs.failures} />
        </figure>
      </div>
      <HistoryTable points={points} />
    </Card>
  );
}
