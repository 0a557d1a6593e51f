import { useState } from "react";
import type { FormEvent } from "react";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Pill } from "../../components/ui";
import { useApp } from "../../store";

export type SecretName = "client-secret" | "scim-token";

/**
 * Shows whether a secret is stored and lets the admin paste a new one. The value only ever travels from this field to
 * the main process (and on into the OS keychain); main answers with "stored" flags, never the value.
 */
export function SecretField({ present, label, name }: { present: boolean; label: string; name: SecretName }) {
  const { saveSecret, secretSave } = useApp();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState("");
  const saving = secretSave.pending === name;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await saveSecret(name, value)) {
      setValue("");
      setEditing(false);
    }
  };
  return (
    <div data-testid={`secret-${name}`}>
      {present ? <Pill tone="ok">{label} stored</Pill> : <Pill tone="bad">{label} missing</Pill>}{" "}
      {!editing ? (
        <button
          type="button"
          className="link-button"
          onClick={() => setEditing(true)}
          data-testid={`secret-${name}-edit`}
        >
          {present ? "Replace" : "Enter"}
        </button>
      ) : (
        <form className="secret-form" onSubmit={(event) => void submit(event)}>
          <label className="sr-only" htmlFor={`secret-${name}-input`}>
            New {label.toLowerCase()}
          </label>
          <input
            id={`secret-${name}-input`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={value}
            onChange={(event) => setValue(event.target.value)}
            placeholder={`Paste the new ${label.toLowerCase()}`}
            data-testid={`secret-${name}-input`}
          />
          <button
            type="submit"
            className="primary"
            disabled={saving || !value.trim()}
            data-testid={`secret-${name}-save`}
          >
            {saving ? "Saving…" : "Save to keychain"}
          </button>
          <button type="button" onClick={() => (setEditing(false), setValue(""))}>
            Cancel
          </button>
        </form>
      )}
      {secretSave.error && secretSave.name === name && (
        <ErrorNotice error={secretSave.error} title={`The ${label.toLowerCase()} was not saved`} />
      )}
    </div>
  );
}
