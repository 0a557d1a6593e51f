import { useId, useState } from "react";
import type { ResultOf } from "../../../shared/ipc/contract";
import type { AppError } from "../../../shared/ipc/result";
import { CheckboxField, FieldProblems, NumberField, SelectField, TextField } from "../components/fields";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Pill } from "../components/ui";
import { getIn } from "../draft/paths";
import { useChanges, useDraft, useFieldProblems } from "../draft/store";
import { useApp } from "../store";
import { SecretInput } from "./connections/SecretInput";

const SECURITY = [
  ["starttls", "STARTTLS (usually port 587)"],
  ["tls", "TLS from the start (usually port 465)"],
  ["none", "None: plain text (a relay on this network only)"],
] as const;

const EMAIL = "alerts.email";
const splitAddresses = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

/** Recipients as one text box ("a@x.com, b@x.com"); the profile holds them as a list. */
function RecipientsField() {
  const { draft, edit } = useDraft();
  const path = `${EMAIL}.to`;
  const value = getIn(draft, path);
  const list = Array.isArray(value) ? (value as string[]) : [];
  const [typed, setText] = useState(list.join(", "));
  // What was typed, while it still says what the draft holds (a trailing comma is kept); else the draft (Discard).
  const text = splitAddresses(typed).join(",") === list.join(",") ? typed : list.join(", ");
  const id = useId();
  const problems = useFieldProblems(path);
  return (
    <div className="field" data-path={path} data-invalid={problems.length > 0 || undefined}>
      <label htmlFor={id}>Send to</label>
      <input
        id={id}
        value={text}
        spellCheck={false}
        placeholder="it-admins@contoso.com"
        aria-describedby={`${id}-hint${problems.length ? ` ${id}-problems` : ""}`}
        aria-invalid={problems.length > 0 || undefined}
        data-testid="alerts-to"
        onChange={(event) => {
          setText(event.target.value);
          edit(path, splitAddresses(event.target.value));
        }}
      />
      <p id={`${id}-hint`} className="field-hint">
        One or more addresses, separated by commas.
      </p>
      <FieldProblems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

/**
 * The SMTP password goes one way, to the keychain (smtp-password); the window never reads it back, only whether one
 * is stored (or set in PROVISIONDESK_SMTP_PASSWORD).
 */
function SmtpPassword() {
  const { saveSecret, secretSave } = useApp();
  const stored = useApp((state) => state.connections.data?.secrets.smtpPassword ?? null);
  const [value, setValue] = useState("");
  return (
    <div className="field">
      <SecretInput label="SMTP password" value={value} onChange={setValue} stored={null} testId="alerts-password" />
      <div className="button-row">
        <button
          type="button"
          disabled={!value.trim() || secretSave.pending === "smtp-password"}
          data-testid="alerts-store-password"
          onClick={() =>
            void saveSecret("smtp-password", value.trim()).then((ok) => {
              if (ok) setValue("");
            })
          }
        >
          Store the password
        </button>
        {stored !== null && (
          <span data-testid="alerts-password-presence" data-stored={stored}>
            {stored ? <Pill tone="ok">Password stored</Pill> : <Pill tone="neutral">No password stored</Pill>}
          </span>
        )}
      </div>
      {secretSave.error && secretSave.name === "smtp-password" && (
        <ErrorNotice error={secretSave.error} title="The password was not stored" />
      )}
    </div>
  );
}

/** Sends a test message with the saved settings, so unsaved edits are saved first. */
function SendTest() {
  const api = useApp((state) => state.api);
  const unsaved = useChanges().length > 0;
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState<ResultOf<"alerts.sendTest"> | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const send = async () => {
    setPending(true);
    setSent(null);
    setError(null);
    const result = await api!.invoke("alerts.sendTest", {});
    setPending(false);
    if (result.ok) setSent(result.value);
    else setError(result.error);
  };
  return (
    <div className="card-footer">
      <div className="button-row">
        <button type="button" disabled={pending || unsaved} onClick={() => void send()} data-testid="alerts-test">
          {pending ? "Sending…" : "Send test email"}
        </button>
        {unsaved && <span className="muted">Save your changes first: the test uses the saved settings.</span>}
      </div>
      {sent && (
        <p role="status" className="notice" data-testid="alerts-test-sent">
          Test email sent to {sent.to.join(", ")}.
        </p>
      )}
      {error && <ErrorNotice error={error} title="The test email was not sent" />}
    </div>
  );
}

/** Email alerts (alerts.email): one mail per problem while it lasts, and one when it is resolved. */
export function AlertSettings() {
  const { draft, edit } = useDraft();
  const enabled = getIn(draft, EMAIL) !== undefined;
  const id = useId();
  return (
    <Card title="Email alerts" testId="settings-alerts">
      <div className="form">
        <div className="field field-check">
          <input
            id={id}
            type="checkbox"
            checked={enabled}
            aria-describedby={`${id}-hint`}
            data-testid="alerts-enabled"
            onChange={(event) =>
              edit(EMAIL, event.target.checked ? { smtpPort: 587, security: "starttls", to: [] } : undefined)
            }
          />
          <label htmlFor={id}>Email the admins when provisioning needs attention</label>
          <p id={`${id}-hint`} className="field-hint">
            A refused credential, quarantine, a failed cycle, a safety-gate stop, or too many failing objects: one mail
            when it starts and one when it is resolved. Mails never contain secrets.
          </p>
        </div>
        {enabled && (
          <>
            <TextField
              path={`${EMAIL}.smtpHost`}
              label="SMTP server"
              placeholder="smtp.contoso.com"
              monospace
              testId="alerts-host"
            />
            <NumberField path={`${EMAIL}.smtpPort`} label="Port" min={1} max={65535} testId="alerts-port" />
            <SelectField
              path={`${EMAIL}.security`}
              label="Encryption"
              options={SECURITY}
              fallback="starttls"
              testId="alerts-security"
            />
            <TextField
              path={`${EMAIL}.from`}
              label="From"
              placeholder="provisioning@contoso.com"
              testId="alerts-from"
            />
            <RecipientsField />
            <TextField
              path={`${EMAIL}.username`}
              label="SMTP user name"
              hint="Leave empty when the server accepts mail without signing in."
              optional
              testId="alerts-username"
            />
            {typeof getIn(draft, `${EMAIL}.username`) === "string" && <SmtpPassword />}
          </>
        )}
        <NumberField
          path="alerts.escrowLimit"
          label="Alert when more objects than this are failing"
          min={1}
          testId="alerts-escrow-limit"
        />
        <CheckboxField path="alerts.dailyDigest" label="Also send a daily summary" />
      </div>
      {enabled && <SendTest />}
    </Card>
  );
}
