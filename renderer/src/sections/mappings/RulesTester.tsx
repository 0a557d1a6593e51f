import { useState } from "react";
import type { FormEvent } from "react";
import type { ResultOf } from "../../../../shared/ipc/contract";
import type { AppError } from "../../../../shared/ipc/result";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ColumnHeads, Card, Pill } from "../../components/ui";
import { asDraft, useDraft } from "../../draft/store";
import { useApp } from "../../store";

const show = (value: unknown) => (typeof value === "string" ? `“${value}”` : JSON.stringify(value));
type Report = ResultOf<"rules.test">;

const stepTone = { pass: "ok", fail: "bad", info: "neutral" } as const;

function ScopeSteps({ steps }: { steps: Report["scope"]["steps"] }) {
  return (
    <ol className="steps" aria-label="How the scope was decided" data-testid="scope-steps">
      {steps.map((step, index) => (
        <li key={index} data-outcome={step.outcome}>
          <Pill tone={stepTone[step.outcome]}>
            {step.outcome === "pass" ? "Passed" : step.outcome === "fail" ? "Decided: out" : "Note"}
          </Pill>{" "}
          {step.message}
          {step.via && step.via.length > 0 && (
            <span className="muted"> (via {step.via.map((group) => group.displayName ?? group.id).join(" → ")})</span>
          )}
        </li>
      ))}
    </ol>
  );
}

/**
 * "Test it before it runs": one real directory user through the engine's whole scope decision and every mapping, on the
 * unsaved draft, nothing sent.
 */
export function RulesTester({ title = "Test with a user" }: { title?: string }) {
  const [user, setUser] = useState("");
  const [state, setState] = useState<{ pending: boolean; report: Report | null; error: AppError | null }>({
    pending: false,
    report: null,
    error: null,
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const api = useApp.getState().api;
    const draft = useDraft.getState().draft;
    if (!api || !user.trim()) return;
    setState({ pending: true, report: null, error: null });
    const result = await api.invoke("rules.test", { user: user.trim(), ...(draft ? { draft: asDraft(draft) } : {}) });
    setState({ pending: false, report: result.ok ? result.value : null, error: result.ok ? null : result.error });
  };
  const report = state.report;
  return (
    <Card title={title} className="wide" testId="rules-tester">
      <form className="toolbar" onSubmit={(event) => void submit(event)}>
        <label>
          User principal name or object id
          <input
            value={user}
            onChange={(event) => setUser(event.target.value)}
            placeholder="jane.doe@contoso.com"
            data-testid="rules-test-user"
          />
        </label>
        <button type="submit" disabled={state.pending || !user.trim()} data-testid="rules-test-run">
          {state.pending ? "Testing…" : "Test"}
        </button>
      </form>
      {state.error && (
        <ErrorNotice
          error={state.error}
          title={state.error.code === "NOT_FOUND" ? "User not found" : "The user could not be tested"}
        />
      )}
      {report && (
        <div data-testid="rules-test-result" data-in-scope={report.scope.inScope}>
          <p>
            <strong>{report.user.displayName ?? report.user.userPrincipalName ?? report.user.id}</strong>{" "}
            {report.scope.inScope ? <Pill tone="ok">In scope</Pill> : <Pill tone="neutral">Out of scope</Pill>}{" "}
            <span>{report.scope.reason}</span>
          </p>
          <ScopeSteps steps={report.scope.steps} />
          <table className="table compact" aria-label="Target attributes for this user">
            <ColumnHeads columns={["Target attribute", "Value that would be sent"]} />
            <tbody>
              {report.attributes.map((attribute) => (
                <tr key={attribute.target}>
                  <td>
                    <code>{attribute.target}</code>
                    {attribute.matchingPrecedence !== undefined && (
                      <span className="muted"> (matching #{attribute.matchingPrecedence})</span>
                    )}
                  </td>
                  <td>
                    {attribute.status === "value" && show(attribute.value)}
                    {attribute.status === "null" && <span className="muted">(empty: not sent)</span>}
                    {attribute.status === "skipped" && (
                      <span className="muted">(skipped: {attribute.skippedBecause})</span>
                    )}
                    {attribute.status === "error" && (
                      <Pill tone="bad">
                        {attribute.error?.code}: {attribute.error?.message}
                      </Pill>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {report.wouldProvision ? "This user would be provisioned." : "This user would not be provisioned."}
          </p>
        </div>
      )}
    </Card>
  );
}
