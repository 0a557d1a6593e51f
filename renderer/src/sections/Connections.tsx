import { useState } from "react";
import { Checks } from "../components/Checks";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Loading, SectionHeader } from "../components/ui";
import { SaveBar } from "../draft/SaveBar";
import { useDraft } from "../draft/store";
import { useApp } from "../store";
import { DraftTestResult, useDraftTest } from "./connections/DraftTest";
import type { Side } from "./connections/DraftTest";
import { SourceForm } from "./connections/SourceForm";
import { TargetForm } from "./connections/TargetForm";

/**
 * Test the side's unsaved settings; with a newly typed secret, store it only once the test passes (or when the admin
 * says so after seeing why it failed), so "the token was refused (401)" shows up before it is saved.
 */
function TestAndStore({
  side,
  secretName,
  value,
  onStored,
}: {
  side: Exclude<Side, "both">;
  secretName: "client-secret" | "scim-token";
  value: string;
  onStored(): void;
}) {
  const test = useDraftTest();
  const { saveSecret, secretSave } = useApp();
  const [failedValue, setFailedValue] = useState<string | null>(null);
  const typed = value.trim() !== "";
  const secrets = side === "source" ? { clientSecret: value } : { scimToken: value };
  const store = async () => {
    if (await saveSecret(secretName, value.trim())) onStored();
  };
  const run = async () => {
    const passed = await test.run(side, secrets);
    if (!typed) return;
    if (passed) await store();
    else setFailedValue(value);
  };
  return (
    <div className="card-footer">
      <div className="button-row">
        <button type="button" onClick={() => void run()} disabled={test.pending} data-testid={`${side}-test`}>
          {typed ? `Test and store the ${secretName === "client-secret" ? "secret" : "token"}` : "Test these settings"}
        </button>
        {typed && failedValue === value && (
          <button type="button" onClick={() => void store()} data-testid={`${side}-store-anyway`}>
            Store it anyway
          </button>
        )}
      </div>
      {secretSave.error && secretSave.name === secretName && (
        <ErrorNotice error={secretSave.error} title="The secret was not stored" />
      )}
      <DraftTestResult test={test} testId={`${side}-checks`} />
    </div>
  );
}

export function Connections() {
  const { connections, checks, testConnections } = useApp();
  const { draft, stored, loadError } = useDraft();
  const [secret, setSecret] = useState("");
  const [token, setToken] = useState("");
  const present = connections.data?.secrets;
  return (
    <>
      <SectionHeader
        title="Connections"
        description="Where users come from and where they go. Secrets go straight to the OS keychain; the window only learns whether they are set."
        actions={
          <button
            type="button"
            className="primary"
            onClick={() => void testConnections()}
            disabled={checks.loading || !stored?.profile}
            data-testid="test-connection"
          >
            {checks.loading ? "Testing…" : "Test the saved connection"}
          </button>
        }
      />
      {loadError && <ErrorNotice error={loadError} title="The profile could not be read" />}
      {connections.error && <ErrorNotice error={connections.error} title="The connection settings could not be read" />}
      {(checks.data || checks.error) && (
        <Card title="Connection test" className="wide" testId="connection-checks">
          {checks.error && <ErrorNotice error={checks.error} title="The test could not run" />}
          {checks.data && <Checks checks={checks.data} />}
        </Card>
      )}
      {!draft ? (
        <Loading what="connections" />
      ) : (
        <div className="grid two">
          <Card title="Source: Microsoft Entra ID" testId="source-card">
            <SourceForm secret={secret} onSecret={setSecret} secretStored={present?.clientSecret ?? null} />
            <TestAndStore side="source" secretName="client-secret" value={secret} onStored={() => setSecret("")} />
          </Card>
          <Card title="Target: SCIM 2.0 app" testId="target-card">
            <TargetForm token={token} onToken={setToken} tokenStored={present?.scimToken ?? null} />
            <TestAndStore side="target" secretName="scim-token" value={token} onStored={() => setToken("")} />
          </Card>
        </div>
      )}
      <SaveBar />
    </>
  );
}
