import { useEffect, useId, useState } from "react";
import type { DirectoryUser } from "../../../shared/ipc/draft-model";
import type { ProvisionOneResultView } from "../../../shared/ipc/provision-model";
import type { AppError } from "../../../shared/ipc/result";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Empty, Pill, SectionHeader } from "../components/ui";
import { plural } from "../format";
import { useApp } from "../store";
import { statusTone } from "./LogEntryDetail";

const invoke = () => useApp.getState().api!;

/** Users whose name or UPN starts with the query, asked once typing pauses. */
function useUserSearch(query: string) {
  const [found, setFound] = useState<{ query: string; users: DirectoryUser[]; error: AppError | null } | null>(null);
  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    const timer = setTimeout(() => {
      void invoke()
        .invoke("directory.searchUsers", { query: q })
        .then((result) =>
          setFound(result.ok ? { query, users: result.value, error: null } : { query, users: [], error: result.error }),
        );
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);
  return found?.query === query ? found : null;
}

function Steps({ result }: { result: ProvisionOneResultView }) {
  return (
    <ol className="steps provision-steps" data-testid="provision-steps">
      {result.steps.map((step) => (
        <li key={step.name} data-testid="provision-step" data-status={step.status}>
          <Pill tone={statusTone(step.status)}>{step.status}</Pill> <strong>{step.name}</strong>
          <span className="step-detail">{step.detail}</span>
          {step.rules && step.rules.length > 0 && (
            <ul className="value-list">
              {step.rules.map((rule, index) => (
                <li key={index}>
                  {rule.step}: {rule.outcome} — {rule.message}
                </li>
              ))}
            </ul>
          )}
          {step.requestIds && step.requestIds.length > 0 && (
            <ul className="value-list">
              {step.requestIds.map((id) => (
                <li key={id}>
                  <code>{id}</code>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Provision on demand: one user through Entra's five steps, now, with its groups. */
export function ProvisionUser() {
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<DirectoryUser | null>(null);
  const [run, setRun] = useState<{ pending: boolean; result: ProvisionOneResultView | null; error: AppError | null }>({
    pending: false,
    result: null,
    error: null,
  });
  const found = useUserSearch(query);
  const listId = useId();
  const provision = async (user: DirectoryUser) => {
    setPicked(user);
    setRun({ pending: true, result: null, error: null });
    const result = await invoke().invoke("provision.one", { user: user.id });
    setRun({ pending: false, result: result.ok ? result.value : null, error: result.ok ? null : result.error });
  };
  const result = run.result;
  return (
    <>
      <SectionHeader
        title="Provision on demand"
        description="Provision one user now, without waiting for the next cycle, and see each step as Entra ID shows it."
      />
      <Card title="Find a user" className="spaced">
        <div className="toolbar" role="search">
          <label>
            Name or UPN
            <input
              type="search"
              value={query}
              aria-controls={listId}
              onChange={(event) => setQuery(event.target.value)}
              data-testid="provision-search"
            />
          </label>
        </div>
        {found?.error && <ErrorNotice error={found.error} title="The directory could not be searched" />}
        <ul id={listId} className="user-results" aria-label="Users found">
          {found?.users.map((user) => (
            <li key={user.id}>
              <span>
                <strong>{user.displayName ?? user.id}</strong>{" "}
                <span className="muted">{user.userPrincipalName ?? user.id}</span>
              </span>
              <button
                type="button"
                disabled={run.pending}
                onClick={() => void provision(user)}
                data-testid="provision-user"
              >
                Provision
              </button>
            </li>
          ))}
        </ul>
        {found && !found.error && !found.users.length && <Empty>No user starts with “{query.trim()}”.</Empty>}
      </Card>
      {picked && (
        <Card title={`Provisioning ${picked.displayName ?? picked.id}`} testId="provision-result">
          {run.pending && <p role="status">Provisioning…</p>}
          {run.error && <ErrorNotice error={run.error} title="The user could not be provisioned" />}
          {result && (
            <div role="status">
              <Steps result={result} />
              {result.action && (
                <p>
                  <strong>{result.action.action}</strong>: {result.action.reason}
                  {result.action.changes.length > 0 &&
                    ` (${plural(result.action.changes.length, "property", "properties")})`}
                </p>
              )}
              {result.groups.length > 0 && (
                <>
                  <h3>Target groups</h3>
                  <ul className="value-list" data-testid="provision-groups">
                    {result.groups.map((group) => (
                      <li key={group.sourceId}>
                        {group.displayName} <Pill tone={statusTone(group.status)}>{group.status}</Pill>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
        </Card>
      )}
    </>
  );
}
