import { useState } from "react";
import type { FormEvent } from "react";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ColumnHeads, Card, Pill } from "../../components/ui";
import { useApp } from "../../store";

const show = (value: unknown) => (typeof value === "string" ? `“${value}”` : JSON.stringify(value));

/** "Test it before it runs": one real directory user through the scoping filters and every mapping, nothing sent. */
export function RulesTester() {
  const { rulesTest, testRules } = useApp();
  const [user, setUser] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (user.trim()) void testRules(user.trim());
  };
  const report = rulesTest.data;
  return (
    <Card title="Test with a user" className="wide" testId="rules-tester">
      <form className="toolbar" onSubmit={submit}>
        <label>
          User principal name or object id
          <input
            value={user}
            onChange={(event) => setUser(event.target.value)}
            placeholder="jane.doe@contoso.com"
            data-testid="rules-test-user"
          />
        </label>
        <button type="submit" disabled={rulesTest.loading || !user.trim()} data-testid="rules-test-run">
          {rulesTest.loading ? "Testing…" : "Test"}
        </button>
      </form>
      {rulesTest.error && <ErrorNotice error={rulesTest.error} title="The user could not be tested" />}
      {report && (
        <div data-testid="rules-test-result">
          <p>
            <strong>{report.user.displayName ?? report.user.userPrincipalName ?? report.user.id}</strong>{" "}
            {report.scope.inScope ? <Pill tone="ok">In scope</Pill> : <Pill tone="neutral">Out of scope</Pill>}{" "}
            <span className="muted">{report.scope.reason}</span>
          </p>
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
