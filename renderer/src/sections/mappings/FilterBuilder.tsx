import { SCOPING_OPERATORS, UNARY_SCOPING_OPERATORS } from "../../../../shared/config/mappings";
import type { ScopingOperator } from "../../../../shared/config/mappings";
import { SelectField, TextField } from "../../components/fields";
import { getIn } from "../../draft/paths";
import { useDraft } from "../../draft/store";
import { useReference } from "./reference";

interface Clause {
  attribute: string;
  operator: string;
  value?: string;
}
interface Filter {
  title?: string;
  clauses: Clause[];
}

const OPERATOR_TEXT: Record<ScopingOperator, string> = {
  EQUALS: "equals",
  NOT_EQUALS: "does not equal",
  ENDS_WITH: "ends with",
  INCLUDES: "includes",
  GREATER_THAN: "greater than",
  GREATER_THAN_OR_EQUALS: "greater than or equals",
  IS_TRUE: "is true",
  IS_FALSE: "is false",
  IS_NULL: "is null",
  IS_NOT_NULL: "is not null",
  REGEX_MATCH: "matches the regex",
  NOT_REGEX_MATCH: "does not match the regex",
  IS_PRESENT: "is present (&)",
  IS_NOT_PRESENT: "is absent (!&)",
};
const OPERATORS = SCOPING_OPERATORS.map((op) => [op, OPERATOR_TEXT[op]] as const);

/**
 * Entra's scoping filters for one object type: groups that OR together, each a list of clauses that AND together.
 * Regexes and attribute names are checked by the engine (as at import) and shown at the clause.
 */
export function FilterBuilder({ path, objects }: { path: string; objects: "users" | "groups" }) {
  const { draft, edit } = useDraft();
  const { source } = useReference();
  const filters = (getIn(draft, path) as Filter[] | undefined) ?? [];
  const attributes = source?.[objects].map((attribute) => attribute.name);
  const noun = objects === "users" ? "user" : "group";
  const setClauses = (index: number, clauses: Clause[]) =>
    clauses.length
      ? edit(`${path}.${index}.clauses`, clauses)
      : edit(
          path,
          filters.filter((_, other) => other !== index),
        );
  return (
    <div className="filter-builder" data-testid={`${objects}-filters`}>
      {!filters.length && <p className="muted">No scoping filter: every {noun} in scope is provisioned.</p>}
      <ol className="filters">
        {filters.map((filter, index) => (
          <li key={index} className="filter" data-testid="filter-group">
            <p className="filter-title">
              {index > 0 && <span className="or-label">or </span>}
              Filter group {index + 1}: a {noun} matches when <strong>all</strong> of these hold
            </p>
            <ul className="clauses">
              {filter.clauses.map((clause, i) => {
                const at = `${path}.${index}.clauses.${i}`;
                const unary = UNARY_SCOPING_OPERATORS.includes(clause.operator as ScopingOperator);
                return (
                  <li key={i} className="clause" data-testid="filter-clause">
                    <TextField
                      path={`${at}.attribute`}
                      label={`${i ? "and " : ""}Attribute`}
                      suggestions={attributes}
                      testId="clause-attribute"
                      monospace
                    />
                    <SelectField
                      path={`${at}.operator`}
                      label="Operator"
                      options={OPERATORS}
                      testId="clause-operator"
                    />
                    {!unary && <TextField path={`${at}.value`} label="Value" testId="clause-value" />}
                    <button
                      type="button"
                      className="clause-remove"
                      onClick={() =>
                        setClauses(
                          index,
                          filter.clauses.filter((_, other) => other !== i),
                        )
                      }
                      aria-label={`Remove clause ${i + 1} of filter group ${index + 1}`}
                    >
                      Remove
                    </button>
                  </li>
                );
              })}
            </ul>
            <button
              type="button"
              onClick={() => setClauses(index, [...filter.clauses, { attribute: "", operator: "EQUALS", value: "" }])}
              data-testid="add-clause"
            >
              Add a clause (and)
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        onClick={() => edit(path, [...filters, { clauses: [{ attribute: "", operator: "EQUALS", value: "" }] }])}
        data-testid={`${objects}-add-filter`}
      >
        {filters.length ? "Add a filter group (or)" : "Add a scoping filter"}
      </button>
    </div>
  );
}
