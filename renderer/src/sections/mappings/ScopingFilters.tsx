import type { ScopingFilter } from "../../../../shared/config/mappings";
import { UNARY_SCOPING_OPERATORS } from "../../../../shared/config/mappings";

const operatorText = (operator: string) => operator.toLowerCase().replaceAll("_", " ");

/** Filters OR together; the clauses inside one filter AND together (Entra's semantics). */
export function ScopingFilters({ filters, objects }: { filters: ScopingFilter[]; objects: string }) {
  if (!filters.length)
    return <p className="muted">No scoping filter: every {objects.replace(/s$/, "")} in scope is provisioned.</p>;
  return (
    <ol className="filters" aria-label={`Scoping filters for ${objects}`}>
      {filters.map((filter, index) => (
        <li key={index} className="filter">
          <p className="filter-title">
            {filter.title ?? `Filter ${index + 1}`} {index > 0 && <span className="muted">(or)</span>}
          </p>
          <ul>
            {filter.clauses.map((clause, i) => (
              <li key={i}>
                {i > 0 && <span className="muted">and </span>}
                <code>{clause.attribute}</code> {operatorText(clause.operator)}
                {!UNARY_SCOPING_OPERATORS.includes(clause.operator) && <code> {clause.value}</code>}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
