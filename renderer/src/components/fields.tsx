import { useId } from "react";
import type { ReactNode } from "react";
import { getIn } from "../draft/paths";
import { useDraft, useFieldProblems } from "../draft/store";
import type { FieldProblem } from "../draft/store";

/** The problems at one field, tied to its input by id (aria-describedby). */
export function FieldProblems({ id, problems }: { id: string; problems: FieldProblem[] }) {
  if (!problems.length) return null;
  return (
    <ul id={id} className="field-problems" data-testid="field-problem">
      {problems.map((problem, index) => (
        <li key={index} className={problem.severity === "error" ? "field-error" : "field-warning"}>
          {problem.message}
        </li>
      ))}
    </ul>
  );
}

interface FieldProps {
  /** JSON path in the profile, e.g. `target.tenantUrl`. */
  path: string;
  label: string;
  hint?: ReactNode;
  testId?: string;
}

/** Label, control, hint and problems for one profile field; the control gets the ids it needs. */
function Field({
  path,
  label,
  hint,
  children,
  inline,
}: FieldProps & {
  children: (ids: { input: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
  inline?: boolean;
}) {
  const id = useId();
  const problems = useFieldProblems(path);
  const hintId = `${id}-hint`;
  const problemsId = `${id}-problems`;
  const describedBy =
    [hint ? hintId : null, problems.length ? problemsId : null].filter(Boolean).join(" ") || undefined;
  const invalid = problems.some((problem) => problem.severity === "error");
  return (
    <div className={`field ${inline ? "field-inline" : ""}`} data-path={path} data-invalid={invalid || undefined}>
      <label htmlFor={`${id}-input`}>{label}</label>
      {children({ input: `${id}-input`, describedBy, invalid })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      <FieldProblems id={problemsId} problems={problems} />
    </div>
  );
}

export function TextField(
  props: FieldProps & { placeholder?: string; monospace?: boolean; optional?: boolean; suggestions?: string[] },
) {
  const { draft, edit } = useDraft();
  const value = getIn(draft, props.path);
  return (
    <Field {...props}>
      {({ input, describedBy, invalid }) => (
        <>
          {props.suggestions && (
            <datalist id={`${input}-list`}>
              {props.suggestions.map((option) => (
                <option key={option} value={option} />
              ))}
            </datalist>
          )}
          <input
            id={input}
            list={props.suggestions ? `${input}-list` : undefined}
            className={props.monospace ? "mono" : undefined}
            value={typeof value === "string" ? value : ""}
            placeholder={props.placeholder}
            spellCheck={false}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            data-testid={props.testId}
            // An optional field left empty is absent from the profile rather than "".
            onChange={(event) =>
              edit(props.path, props.optional && event.target.value === "" ? undefined : event.target.value)
            }
          />
        </>
      )}
    </Field>
  );
}

export function NumberField(props: FieldProps & { min?: number; max?: number; step?: number; unit?: string }) {
  const { draft, edit } = useDraft();
  const value = getIn(draft, props.path);
  return (
    <Field {...props}>
      {({ input, describedBy, invalid }) => (
        <span className="with-unit">
          <input
            id={input}
            type="number"
            inputMode="decimal"
            min={props.min}
            max={props.max}
            step={props.step ?? 1}
            value={typeof value === "number" ? value : ""}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            data-testid={props.testId}
            // Sent as typed: the engine's schema decides what is allowed and says so at the field.
            onChange={(event) => edit(props.path, event.target.value === "" ? undefined : Number(event.target.value))}
          />
          {props.unit && <span className="muted">{props.unit}</span>}
        </span>
      )}
    </Field>
  );
}

export function SelectField<V extends string>(
  props: FieldProps & { options: readonly (readonly [V, string])[]; fallback?: V },
) {
  const { draft, edit } = useDraft();
  const value = getIn(draft, props.path);
  return (
    <Field {...props}>
      {({ input, describedBy, invalid }) => (
        <select
          id={input}
          value={typeof value === "string" ? value : (props.fallback ?? "")}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          data-testid={props.testId}
          onChange={(event) => edit(props.path, event.target.value)}
        >
          {props.options.map(([option, text]) => (
            <option key={option} value={option}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckboxField(props: FieldProps & { fallback?: boolean }) {
  const { draft, edit } = useDraft();
  const value = getIn(draft, props.path);
  const id = useId();
  const problems = useFieldProblems(props.path);
  return (
    <div className="field field-check" data-path={props.path}>
      <input
        id={id}
        type="checkbox"
        checked={typeof value === "boolean" ? value : (props.fallback ?? false)}
        onChange={(event) => edit(props.path, event.target.checked)}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        data-testid={props.testId}
      />
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={`${id}-hint`} className="field-hint">
          {props.hint}
        </p>
      )}
      <FieldProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}
