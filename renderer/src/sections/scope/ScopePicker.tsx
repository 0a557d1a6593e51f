import { CheckboxField } from "../../components/fields";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Empty } from "../../components/ui";
import { useLiveCall } from "../../draft/live";
import { getIn } from "../../draft/paths";
import { asDraft, useDraft, useFieldProblems } from "../../draft/store";
import { FieldProblems } from "../../components/fields";
import { GroupPicker } from "./GroupPicker";

type Mode = "assigned" | "all" | "groups";
const MODES: [Mode, string, string][] = [
  ["assigned", "Assigned to the enterprise app", "Entra's default: the users and groups assigned to the app in Entra."],
  ["all", "Everyone", "Every user and group in the directory."],
  ["groups", "Selected groups", "Members of groups you pick here."],
];

function Assignments() {
  const draft = useDraft((state) => state.draft);
  const answer = useLiveCall("scope.assignments", draft ? { draft: asDraft(draft) } : null);
  return (
    <div data-testid="scope-assignments">
      <p className="muted">
        Assignments are managed in Entra (Enterprise applications → your app → Users and groups); they are shown here
        read-only. Assigned groups contribute their direct members, as in Entra.
      </p>
      {answer.error && <ErrorNotice error={answer.error} title="The assignments could not be read" />}
      {answer.data && (
        <div className="grid two">
          <div>
            <h3>Groups ({answer.data.groups.length})</h3>
            {answer.data.groups.length ? (
              <ul className="plain-list">
                {answer.data.groups.map((group) => (
                  <li key={group.id}>{group.displayName ?? group.id}</li>
                ))}
              </ul>
            ) : (
              <Empty>No group is assigned.</Empty>
            )}
          </div>
          <div>
            <h3>Users ({answer.data.users.length})</h3>
            {answer.data.users.length ? (
              <ul className="plain-list">
                {answer.data.users.slice(0, 50).map((user) => (
                  <li key={user.id}>{user.displayName ?? user.id}</li>
                ))}
                {answer.data.users.length > 50 && <li className="muted">and {answer.data.users.length - 50} more</li>}
              </ul>
            ) : (
              <Empty>No user is assigned directly.</Empty>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

/** Who is provisioned: the enterprise app's assignments, everyone, or picked groups; and whether nesting counts. */
export function ScopePicker() {
  const { draft, edit } = useDraft();
  const scope = getIn(draft, "source.scope") ?? "assigned";
  const mode: Mode = typeof scope === "string" ? (scope as Mode) : "groups";
  const picked = mode === "groups" ? ((getIn(draft, "source.scope.groups") as string[] | undefined) ?? []) : [];
  const problems = useFieldProblems("source.scope");
  return (
    <div className="scope-picker" data-testid="scope-picker">
      <fieldset className="field-group">
        <legend>Who is provisioned</legend>
        {MODES.map(([value, label, hint]) => (
          <label key={value} className="radio-card">
            <input
              type="radio"
              name="scope-mode"
              value={value}
              checked={mode === value}
              data-testid={`scope-mode-${value}`}
              onChange={() => edit("source.scope", value === "groups" ? { groups: [] } : value)}
            />
            <span>
              <strong>{label}</strong>
              <span className="muted"> {hint}</span>
            </span>
          </label>
        ))}
        <FieldProblems id="scope-problems" problems={problems} />
      </fieldset>
      <CheckboxField
        path="source.includeNestedGroups"
        label="Include members of nested groups"
        hint="Entra itself only takes a group's direct members."
        testId="scope-nested"
      />
      {mode === "assigned" && <Assignments />}
      {mode === "groups" && <GroupPicker selected={picked} onChange={(ids) => edit("source.scope.groups", ids)} />}
    </div>
  );
}
