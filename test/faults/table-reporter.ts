// Vitest reporter for `npm run test:faults`: after the run, prints the fault matrix as a table (case, outcome,
// retries, data lost) from the row each case recorded in its task meta (matrix.ts), failed cases marked as such.
import type { Reporter, TestModule } from "vitest/node";
import type { FaultRow } from "./matrix";

const escape = (text: string) => text.replace(/\|/g, "\\|");

/** A Markdown table, so the printed run can go into the README's "Reliability" section as it is. */
export function faultTable(rows: FaultRow[]): string {
  const lines = [
    "| side   | case | outcome | retries | data lost |",
    "| ------ | ---- | ------- | ------: | --------- |",
    ...rows.map(
      (r) => `| ${r.side} | ${escape(r.case)} | ${escape(r.outcome)} | ${r.retries} | ${escape(r.dataLost)} |`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

export default class FaultTableReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows: FaultRow[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const row = test.meta().fault;
        const state = test.result().state;
        if (row && state === "passed") rows.push(row);
        else if (state === "failed")
          rows.push({
            side: test.name.startsWith("Graph") ? "Graph" : "target",
            case: test.name.replace(/^(Graph|target): /, ""),
            outcome: "FAILED (see above)",
            retries: 0,
            dataLost: "?",
          });
      }
    }
    if (rows.length === 0) return;
    rows.sort((a, b) => (a.side === b.side ? 0 : a.side === "target" ? -1 : 1));
    const failed = rows.filter((r) => r.dataLost !== "none").length;
    process.stdout.write(`\nFault matrix: ${rows.length} cases, ${failed} failed\n\n${faultTable(rows)}\n`);
  }
}
