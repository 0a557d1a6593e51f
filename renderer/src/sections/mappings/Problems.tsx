import type { ResultOf } from "../../../../shared/ipc/contract";
import { Pill } from "../../components/ui";

export type RuleProblem = ResultOf<"mappings.get">["problems"][number];

export function Problems({ problems }: { problems: RuleProblem[] }) {
  if (!problems.length)
    return (
      <p className="cycle-line" data-testid="mapping-problems" data-count={0}>
        <Pill tone="ok">No problems found</Pill>
      </p>
    );
  return (
    <ul className="problems" data-testid="mapping-problems" data-count={problems.length}>
      {problems.map((problem, index) => (
        <li key={index}>
          <Pill tone={problem.severity === "error" ? "bad" : "warn"}>
            {problem.severity === "error" ? "Error" : "Warning"}
          </Pill>{" "}
          <code>{problem.path}</code> {problem.message}
        </li>
      ))}
    </ul>
  );
}
