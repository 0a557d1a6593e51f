import { useState } from "react";
import type { AttributeMapping } from "../../../../shared/config/mappings";
import { ColumnHeads, Empty } from "../../components/ui";
import { isUnder } from "../../draft/paths";
import { useDraft } from "../../draft/store";
import { MappingRowEditor } from "./MappingRowEditor";
import type { DirectoryUser } from "./UserPicker";

/** What a mapping reads, in Entra's terms. */
function sourceOf(mapping: Partial<AttributeMapping>) {
  switch (mapping.type) {
    case "Direct":
      return <code>{mapping.source}</code>;
    case "Constant":
      return <span>“{mapping.value}”</span>;
    case "Expression":
      return <code className="expression">{mapping.expression}</code>;
    default:
      return <span className="muted">(nothing: default value only)</span>;
  }
}

const COLUMNS = ["Target attribute", "Type", "Source", "Applies", "Default if empty", "Matching"];

function Cells({ mapping }: { mapping: Partial<AttributeMapping> }) {
  return (
    <>
      <td>
        <code>{mapping.target}</code>
      </td>
      <td>{mapping.type}</td>
      <td>{sourceOf(mapping)}</td>
      <td>{mapping.apply === "OnCreate" ? "Only on create" : "Always"}</td>
      <td>{mapping.defaultValue ?? <span className="muted">—</span>}</td>
      <td>{mapping.matching ? `Yes (precedence ${mapping.matching.precedence})` : <span className="muted">—</span>}</td>
    </>
  );
}

/** The active mappings, read only (the preset's defaults before they are customised). */
export function MappingTable({ mappings, label }: { mappings: Partial<AttributeMapping>[]; label: string }) {
  if (!mappings.length) return <Empty>No attribute mappings: nothing would be sent.</Empty>;
  return (
    <table className="table" aria-label={label} data-testid="mapping-table">
      <ColumnHeads columns={COLUMNS} />
      <tbody>
        {mappings.map((mapping, index) => (
          <tr key={index}>
            <Cells mapping={mapping} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The draft's mappings at `path` (`rules.users.mappings`): add, edit in place, delete. */
export function MappingTableEditor({
  path,
  mappings,
  objects,
  label,
  user,
}: {
  path: string;
  mappings: Partial<AttributeMapping>[];
  objects: "users" | "groups";
  label: string;
  user: DirectoryUser | null;
}) {
  const { edit, saveProblems } = useDraft();
  const [open, setOpen] = useState<number | null>(null);
  const hasProblem = (index: number) => saveProblems.some((problem) => isUnder(problem.path, `${path}.${index}`));
  return (
    <>
      <table className="table" aria-label={label} data-testid="mapping-table">
        <ColumnHeads
          columns={[
            ...COLUMNS,
            <span className="sr-only" key="a">
              Actions
            </span>,
          ]}
        />
        <tbody>
          {mappings.map((mapping, index) => (
            <MappingRows
              key={index}
              mapping={mapping}
              open={open === index || hasProblem(index)}
              onToggle={() => setOpen(open === index ? null : index)}
              onDelete={() => {
                edit(
                  path,
                  mappings.filter((_, other) => other !== index),
                );
                setOpen(null);
              }}
              editor={<MappingRowEditor path={`${path}.${index}`} objects={objects} user={user} />}
            />
          ))}
        </tbody>
      </table>
      <button
        type="button"
        onClick={() => {
          edit(path, [...mappings, { type: "Direct", source: "", target: "", apply: "Always" }]);
          setOpen(mappings.length);
        }}
        data-testid={`${objects}-add-mapping`}
      >
        Add a mapping
      </button>
    </>
  );
}

function MappingRows({
  mapping,
  open,
  onToggle,
  onDelete,
  editor,
}: {
  mapping: Partial<AttributeMapping>;
  open: boolean;
  onToggle(): void;
  onDelete(): void;
  editor: React.ReactNode;
}) {
  const name = mapping.target || "new mapping";
  return (
    <>
      <tr data-testid="mapping-row" data-target={mapping.target}>
        <Cells mapping={mapping} />
        <td className="row-actions">
          <button
            type="button"
            aria-expanded={open}
            onClick={onToggle}
            aria-label={`${open ? "Close" : "Edit"} ${name}`}
            data-testid="mapping-edit"
          >
            {open ? "Close" : "Edit"}
          </button>
          <button type="button" onClick={onDelete} aria-label={`Delete ${name}`} data-testid="mapping-delete">
            Delete
          </button>
        </td>
      </tr>
      {open && (
        <tr className="row-detail">
          <td colSpan={COLUMNS.length + 1}>{editor}</td>
        </tr>
      )}
    </>
  );
}
