import { useId } from "react";
import { APPLY_MODES, MAPPING_TYPES } from "../../../../shared/config/mappings";
import { FieldProblems, SelectField, TextField } from "../../components/fields";
import { getIn } from "../../draft/paths";
import { useDraft, useFieldProblems } from "../../draft/store";
import { ExpressionField } from "./expression/ExpressionField";
import { useReference } from "./reference";
import type { DirectoryUser } from "./UserPicker";

type Row = Record<string, unknown>;
/** What each type reads; the other two are dropped when the type changes so the row says one thing. */
const OWN_FIELD = { Direct: "source", Constant: "value", Expression: "expression", None: null } as const;

function TypeField({ path }: { path: string }) {
  const { draft, edit } = useDraft();
  const id = useId();
  const row = (getIn(draft, path) ?? {}) as Row;
  return (
    <div className="field">
      <label htmlFor={id}>Mapping type</label>
      <select
        id={id}
        value={String(row.type ?? "Direct")}
        data-testid="mapping-type"
        onChange={(event) => {
          const type = event.target.value as (typeof MAPPING_TYPES)[number];
          const next: Row = { ...row, type };
          for (const field of ["source", "value", "expression"]) if (field !== OWN_FIELD[type]) delete next[field];
          const own = OWN_FIELD[type];
          if (own && next[own] === undefined) next[own] = "";
          edit(path, next);
        }}
      >
        {MAPPING_TYPES.map((type) => (
          <option key={type} value={type}>
            {type}
          </option>
        ))}
      </select>
    </div>
  );
}

/** "Use this attribute to match objects", with its precedence (1 is tried first). */
function MatchingField({ path }: { path: string }) {
  const { draft, edit } = useDraft();
  const id = useId();
  const matching = getIn(draft, `${path}.matching`) as { precedence?: number } | undefined;
  const problems = useFieldProblems(`${path}.matching`);
  return (
    <div className="field" data-path={`${path}.matching`}>
      <span className="field-check">
        <input
          id={id}
          type="checkbox"
          checked={matching !== undefined}
          onChange={(event) => edit(`${path}.matching`, event.target.checked ? { precedence: 1 } : undefined)}
          data-testid="mapping-matching"
        />
        <label htmlFor={id}>Match objects using this attribute</label>
      </span>
      {matching !== undefined && (
        <span className="with-unit">
          <label htmlFor={`${id}-precedence`}>Precedence</label>
          <input
            id={`${id}-precedence`}
            type="number"
            min={1}
            value={matching.precedence ?? ""}
            onChange={(event) =>
              edit(`${path}.matching.precedence`, event.target.value === "" ? undefined : Number(event.target.value))
            }
          />
        </span>
      )}
      <FieldProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

/** Every setting of one mapping row, as Entra's "Edit attribute" pane has them. */
export function MappingRowEditor({
  path,
  objects,
  user,
}: {
  path: string;
  objects: "users" | "groups";
  user: DirectoryUser | null;
}) {
  const draft = useDraft((state) => state.draft);
  const { source, target } = useReference();
  const type = getIn(draft, `${path}.type`);
  return (
    <div className="form mapping-row-editor" data-testid="mapping-row-editor">
      <TextField
        path={`${path}.target`}
        label="Target attribute"
        suggestions={target?.[objects].attributes}
        testId="mapping-target"
        monospace
      />
      <TypeField path={path} />
      {type === "Direct" && (
        <TextField
          path={`${path}.source`}
          label="Source attribute (Entra ID)"
          suggestions={source?.[objects].map((attribute) => attribute.name)}
          testId="mapping-source"
          monospace
        />
      )}
      {type === "Constant" && <TextField path={`${path}.value`} label="Constant value" testId="mapping-value" />}
      {type === "Expression" && <ExpressionField path={`${path}.expression`} objects={objects} user={user} />}
      <SelectField
        path={`${path}.apply`}
        label="Apply this mapping"
        options={APPLY_MODES.map(
          (mode) => [mode, mode === "Always" ? "Always" : "Only when creating the object"] as const,
        )}
        fallback="Always"
        testId="mapping-apply"
      />
      <TextField
        path={`${path}.defaultValue`}
        label="Default value if empty (on create)"
        testId="mapping-default"
        optional
      />
      <MatchingField path={path} />
    </div>
  );
}
