import { useId } from "react";
import { Pill } from "../../components/ui";

/**
 * A secret typed by the admin. The value lives only in the form that owns it until it goes, one way, to main (to be
 * tested or stored in the OS keychain); it is never read back.
 */
export function SecretInput({
  label,
  value,
  onChange,
  stored,
  testId,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  /** Whether the keychain already holds one (null: no profile yet). */
  stored: boolean | null;
  testId: string;
}) {
  const id = useId();
  // "Client secret" reads "client secret" mid-sentence; an acronym ("SMTP password") keeps its capitals.
  const noun = /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={stored ? "Stored in the keychain. Paste a new one to replace it" : `Paste the ${noun}`}
        aria-describedby={`${id}-hint`}
        data-testid={testId}
      />
      <p id={`${id}-hint`} className="field-hint">
        {stored === true && <Pill tone="ok">{label} stored</Pill>}
        {stored === false && <Pill tone="bad">{label} missing</Pill>} Goes straight to the OS keychain and is never
        shown again.
      </p>
    </div>
  );
}
