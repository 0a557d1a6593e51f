import type { AttributeMapping } from "../../../../shared/config/mappings";
import { ColumnHeads, Empty } from "../../components/ui";

/** What a mapping reads, in Entra's terms. */
function sourceOf(mapping: AttributeMapping) {
  switch (mapping.type) {
    case "Direct":
      return <code>{mapping.source}</code>;
    case "Constant":
      return <span>“{mapping.value}”</span>;
    case "Expression":
      return <code className="expression">{mapping.expression}</code>;
    case "None":
      return <span className="muted">(nothing: default value only)</span>;
  }
}

/** Read-only for now; an editor replaces the rows with inputs and keeps the same columns. */
export function MappingTable({ mappings, label }: { mappings: AttributeMapping[]; label: string }) {
  if (!mappings.length) return <Empty>No attribute mappings: nothing would be sent.</Empty>;
  return (
    <table className="table" aria-label={label} data-testid="mapping-table">
      <ColumnHeads columns={["Target attribute", "Type", "Source", "Applies", "Default if empty", "Matching"]} />
      <tbody>
        {mappings.map((mapping) => (
          <tr key={mapping.target}>
            <td>
              <code>{mapping.target}</code>
            </td>
            <td>{mapping.type}</td>
            <td>{sourceOf(mapping)}</td>
            <td>{mapping.apply === "Always" ? "Always" : "Only on create"}</td>
            <td>{mapping.defaultValue ?? <span className="muted">—</span>}</td>
            <td>
              {mapping.matching ? `Yes (precedence ${mapping.matching.precedence})` : <span className="muted">—</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
