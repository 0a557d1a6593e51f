import { useId } from "react";
import { TextField } from "../../components/fields";
import { getIn } from "../../draft/paths";
import { useDraft } from "../../draft/store";
import { SecretInput } from "./SecretInput";

const CLOUDS = [
  ["global", "Global (Azure public cloud)"],
  ["usgov", "US Government"],
  ["china", "China (21Vianet)"],
  ["custom", "Custom endpoints"],
] as const;

function CloudField() {
  const { draft, edit } = useDraft();
  const id = useId();
  const cloud = getIn(draft, "source.cloud") ?? "global";
  const choice = typeof cloud === "string" ? cloud : "custom";
  return (
    <>
      <div className="field">
        <label htmlFor={id}>Cloud</label>
        <select
          id={id}
          value={choice}
          data-testid="source-cloud"
          onChange={(event) =>
            edit(
              "source.cloud",
              event.target.value === "custom" ? { authorityHost: "", graphBaseUrl: "" } : event.target.value,
            )
          }
        >
          {CLOUDS.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </div>
      {choice === "custom" && (
        <div className="field-group">
          <TextField
            path="source.cloud.authorityHost"
            label="Sign-in (authority) host"
            placeholder="https://login.example.net"
            testId="source-authority"
            monospace
          />
          <TextField
            path="source.cloud.graphBaseUrl"
            label="Graph base URL"
            placeholder="https://graph.example.net"
            testId="source-graph"
            monospace
          />
        </div>
      )}
    </>
  );
}

function CredentialField({
  secret,
  onSecret,
  stored,
}: {
  secret: string;
  onSecret(v: string): void;
  stored: boolean | null;
}) {
  const { draft, edit } = useDraft();
  const type = getIn(draft, "source.credential.type") === "certificate" ? "certificate" : "secret";
  return (
    <fieldset className="field-group">
      <legend>Credential</legend>
      <div className="radio-row">
        {(
          [
            ["secret", "Client secret"],
            ["certificate", "Certificate"],
          ] as const
        ).map(([value, text]) => (
          <label key={value}>
            <input
              type="radio"
              name="source-credential"
              value={value}
              checked={type === value}
              data-testid={`source-credential-${value}`}
              onChange={() =>
                edit(
                  "source.credential",
                  value === "secret"
                    ? { type: "secret" }
                    : { type: "certificate", certificateFile: "", privateKeyFile: "" },
                )
              }
            />{" "}
            {text}
          </label>
        ))}
      </div>
      {type === "secret" ? (
        <SecretInput label="Client secret" value={secret} onChange={onSecret} stored={stored} testId="source-secret" />
      ) : (
        <>
          <TextField
            path="source.credential.certificateFile"
            label="Certificate file (PEM)"
            hint="The path of the certificate uploaded to the app registration, on this computer."
            monospace
          />
          <TextField path="source.credential.privateKeyFile" label="Private key file (PEM)" monospace />
        </>
      )}
    </fieldset>
  );
}

/** Microsoft Entra ID: the app registration ProvisionDesk signs in as, and the enterprise app whose assignments count. */
export function SourceForm({
  secret,
  onSecret,
  secretStored,
}: {
  secret: string;
  onSecret(value: string): void;
  secretStored: boolean | null;
}) {
  return (
    <div className="form" data-testid="source-form">
      <TextField
        path="source.tenantId"
        label="Directory (tenant) ID"
        placeholder="11111111-2222-3333-4444-555555555555"
        testId="source-tenant"
        monospace
      />
      <TextField
        path="source.clientId"
        label="Application (client) ID"
        hint="Of the app registration ProvisionDesk signs in as (Entra admin center → App registrations)."
        testId="source-client"
        monospace
      />
      <TextField
        path="source.appId"
        label="Enterprise app's application ID"
        hint="The app you provision for (e.g. your Splashtop gallery app); its assignments define the default scope."
        testId="source-app"
        monospace
      />
      <CredentialField secret={secret} onSecret={onSecret} stored={secretStored} />
      <CloudField />
      <TextField
        path="source.caFile"
        label="Private CA file (optional)"
        hint="A PEM file of a certificate authority to trust, e.g. behind a TLS-inspecting proxy."
        testId="source-ca"
        optional
        monospace
      />
    </div>
  );
}
