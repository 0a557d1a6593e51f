import { useState } from "react";
import { ProfileSchema } from "../../../shared/config/profile";
import type { Profile } from "../../../shared/config/profile";
import type { ConnectionCheck } from "../../../shared/ipc/model";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Empty, Facts, Loading, Pill, SectionHeader } from "../components/ui";
import { useApp } from "../store";
import { SecretField } from "./connections/SecretField";

const describeScope = (scope: Profile["source"]["scope"]): string =>
  scope === "assigned"
    ? "Users and groups assigned to the enterprise app"
    : scope === "all"
      ? "All users and groups in the directory"
      : `Members of ${scope.groups.length} selected group${scope.groups.length === 1 ? "" : "s"}`;

const describeCloud = (cloud: Profile["source"]["cloud"]): string =>
  typeof cloud === "string"
    ? { global: "Global (Azure public)", usgov: "US Government", china: "China (21Vianet)" }[cloud]
    : `Custom: ${cloud.graphBaseUrl}`;

function SourceCard({ profile, hasSecret }: { profile: Profile; hasSecret: boolean }) {
  const { source } = profile;
  return (
    <Card title="Source: Microsoft Entra ID" testId="source-card">
      <Facts
        items={[
          ["Tenant ID", <code key="t">{source.tenantId}</code>],
          ["Client ID", <code key="c">{source.clientId}</code>],
          ["Enterprise app (app ID)", <code key="a">{source.appId}</code>],
          ["Scope", describeScope(source.scope)],
          [
            "Nested groups",
            source.includeNestedGroups ? "Members of nested groups included" : "Direct members only (as Entra)",
          ],
          ["Cloud", describeCloud(source.cloud)],
          [
            "Credential",
            source.credential.type === "secret" ? (
              <SecretField key="s" present={hasSecret} label="Client secret" name="client-secret" />
            ) : (
              `Certificate (${source.credential.certificateFile})`
            ),
          ],
        ]}
      />
    </Card>
  );
}

function TargetCard({ profile, hasToken }: { profile: Profile; hasToken: boolean }) {
  const { target } = profile;
  const actions = Object.entries(target.actions)
    .filter(([, on]) => on)
    .map(([name]) => name);
  return (
    <Card
      title={target.preset === "splashtop" ? "Target: Splashtop (SCIM 2.0)" : "Target: SCIM 2.0 app"}
      testId="target-card"
    >
      <Facts
        items={[
          ["Tenant URL", <code key="u">{target.tenantUrl}</code>],
          ["SCIM token", <SecretField key="t" present={hasToken} label="Secret token" name="scim-token" />],
          ["Actions", actions.length ? actions.join(", ") : "None (read only)"],
          ["Groups", target.provisionGroups ? "Provisioned" : "Not provisioned"],
          ["Request style", target.dialect === "entra" ? "As Entra ID sends them" : "Strict RFC 7644"],
          ...(target.ssoMethodName ? [["SSO method", target.ssoMethodName] as [string, string]] : []),
          ["Rate limit", `${target.requestsPerSecond} requests/s, ${target.concurrency} at a time`],
          ["Deprovisioning", `Users: ${profile.deprovision.users}, groups: ${profile.deprovision.groups}`],
        ]}
      />
    </Card>
  );
}

function CheckRow({ check }: { check: ConnectionCheck }) {
  const [open, setOpen] = useState(false);
  return (
    <li className={`check ${check.ok ? "check-ok" : "check-bad"}`} data-testid="connection-check" data-ok={check.ok}>
      <span className="check-icon" aria-hidden="true">
        {check.ok ? "✓" : "✕"}
      </span>
      <div>
        <p className="check-name">
          {check.name}: <span className="sr-only">{check.ok ? "passed" : "failed"}</span>
        </p>
        <p>{check.message}</p>
        {check.detail && (
          <>
            <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
              {open ? "Hide details" : "Details"}
            </button>
            {open && <pre className="notice-detail">{check.detail}</pre>}
          </>
        )}
      </div>
    </li>
  );
}

export function Connections() {
  const { connections, checks, testConnections } = useApp();
  const parsed = connections.data?.profile ? ProfileSchema.safeParse(connections.data.profile) : null;
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
            disabled={checks.loading}
            data-testid="test-connection"
          >
            {checks.loading ? "Testing…" : "Test connection"}
          </button>
        }
      />
      {connections.error && <ErrorNotice error={connections.error} title="The connection settings could not be read" />}
      {!connections.data ? (
        <Loading what="connections" />
      ) : !parsed ? (
        <Empty>
          No profile is set up yet. Import one with <code>provision-desk config import FILE</code>.
        </Empty>
      ) : parsed.success ? (
        <div className="grid two">
          <SourceCard profile={parsed.data} hasSecret={connections.data.secrets.clientSecret} />
          <TargetCard profile={parsed.data} hasToken={connections.data.secrets.scimToken} />
        </div>
      ) : (
        <ErrorNotice
          error={{
            code: "PROFILE_UNREADABLE",
            message: "The profile could not be shown. Re-import it with the CLI.",
            detail: parsed.error.message,
          }}
        />
      )}
      {(checks.data || checks.error) && (
        <Card title="Connection test" className="wide" testId="connection-checks">
          {checks.error && <ErrorNotice error={checks.error} title="The test could not run" />}
          {checks.data && (
            <>
              <p className="cycle-line">
                {checks.data.every((c) => c.ok) ? (
                  <Pill tone="ok">All checks passed</Pill>
                ) : (
                  <Pill tone="bad">Some checks failed</Pill>
                )}
              </p>
              <ul className="checks">
                {checks.data.map((check) => (
                  <CheckRow key={check.name} check={check} />
                ))}
              </ul>
            </>
          )}
        </Card>
      )}
    </>
  );
}
