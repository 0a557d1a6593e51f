import { useId, useMemo, useState } from "react";
import { FieldProblems } from "../../../components/fields";
import { Pill } from "../../../components/ui";
import { useLiveCall } from "../../../draft/live";
import { getIn, setIn } from "../../../draft/paths";
import type { JsonObject } from "../../../draft/paths";
import { asDraft, useDraft, useFieldProblems } from "../../../draft/store";
import { useReference } from "../reference";
import type { DirectoryUser } from "../UserPicker";
import { ExpressionEditor } from "./ExpressionEditor";
import type { ExpressionError } from "./ExpressionEditor";

/** The function whose argument list the cursor is in (strings skipped), for its help line. */
function enclosingFunction(textBefore: string): string | null {
  const stack: (string | null)[] = [];
  let inString = false;
  for (let i = 0; i < textBefore.length; i++) {
    const char = textBefore[i];
    if (char === '"') inString = !inString;
    else if (inString) continue;
    else if (char === "(") stack.push(/([A-Za-z]\w*)\s*$/.exec(textBefore.slice(0, i))?.[1] ?? null);
    else if (char === ")") stack.pop();
  }
  return stack.at(-1) ?? null;
}

/** The draft without the mapping row that holds `expressionPath` (`rules.users.mappings.2.expression`). */
function withoutRow(draft: JsonObject | null, expressionPath: string): JsonObject | null {
  if (!draft) return null;
  const keys = expressionPath.split(".");
  const listPath = keys.slice(0, -2).join(".");
  const index = Number(keys.at(-2));
  const list = getIn(draft, listPath);
  return Array.isArray(list)
    ? setIn(
        draft,
        listPath,
        list.filter((_, other) => other !== index),
      )
    : draft;
}

const showValue = (value: unknown) => (value === null ? "(empty: nothing is sent)" : JSON.stringify(value));

/** One mapping's expression: the editor, the engine's value for the picked user (on the unsaved draft), errors, help. */
export function ExpressionField({
  path,
  objects,
  user,
}: {
  path: string;
  objects: "users" | "groups";
  user: DirectoryUser | null;
}) {
  const { draft, edit } = useDraft();
  const { functions, source } = useReference();
  const id = useId();
  const expression = (getIn(draft, path) as string | undefined) ?? "";
  const problems = useFieldProblems(path);
  const [fnName, setFnName] = useState<string | null>(null);
  const attributes = useMemo(() => (source?.[objects] ?? []).map((a) => a.name), [source, objects]);
  // The rest of the draft is the context; this mapping itself is left out, so that the expression being typed is
  // checked on its own (with its error at its position) rather than making the whole draft invalid.
  const context = useMemo(() => withoutRow(draft, path), [draft, path]);
  const evaluation = useLiveCall(
    "expression.evaluate",
    user && context && expression.trim() ? { expression, userId: user.id, draft: asDraft(context) } : null,
    300,
  );
  const answer = evaluation.data;
  const engineProblem = problems.find((problem) => problem.offset !== undefined);
  const error: ExpressionError | null =
    answer?.status === "error"
      ? { offset: answer.offset, message: answer.message }
      : engineProblem
        ? { offset: engineProblem.offset ?? null, message: engineProblem.message }
        : null;
  const help = functions.find((fn) => fn.name.toLowerCase() === fnName?.toLowerCase());
  return (
    <div className="field expression-field" data-path={path}>
      <span className="field-label" id={`${id}-label`}>
        Expression
      </span>
      <ExpressionEditor
        value={expression}
        onChange={(text) => edit(path, text)}
        onCursor={(before) => setFnName(enclosingFunction(before))}
        label="Expression"
        functions={functions}
        attributes={attributes}
        error={error}
        describedBy={`${id}-result`}
      />
      <p className="field-hint">
        Type a function name or <kbd>[</kbd> for attributes; <kbd>Ctrl</kbd>+<kbd>Space</kbd> lists them.
      </p>
      {help && (
        <p className="function-help" data-testid="function-help">
          <code>{help.signature}</code> {help.help}
        </p>
      )}
      <div id={`${id}-result`} aria-live="polite" data-testid="expression-result">
        {!user && <p className="muted">Pick a user above to see this expression's value as you type.</p>}
        {answer?.status === "value" && (
          <p data-testid="expression-value">
            <Pill tone="ok">Value</Pill> <code>{answer.redacted ? "[Redact]" : showValue(answer.value)}</code>
            {answer.ignoreFlow && <span className="muted"> (IgnoreFlowIfNullOrEmpty: not sent)</span>}
          </p>
        )}
        {answer?.status === "error" && (
          <p className="field-error" data-testid="expression-error" data-offset={answer.offset ?? ""}>
            {answer.line !== null && `Line ${answer.line}, column ${answer.column}: `}
            {answer.message}
            {answer.expected && !answer.message.includes(answer.expected) && ` Expected ${answer.expected}.`}
          </p>
        )}
        {answer?.status === "invalid" && (
          <p className="muted">
            Not evaluated: the profile has problems ({answer.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}
            ).
          </p>
        )}
      </div>
      <FieldProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}
