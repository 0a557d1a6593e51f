import { useState } from "react";
import type { ConnectionCheck } from "../../../shared/ipc/model";
import { Pill } from "./ui";

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

/** The result of a connection test: a summary line and one row per check. */
export function Checks({ checks, testId }: { checks: ConnectionCheck[]; testId?: string }) {
  return (
    <div data-testid={testId} role="status">
      <p className="cycle-line">
        {checks.every((c) => c.ok) ? (
          <Pill tone="ok">All checks passed</Pill>
        ) : (
          <Pill tone="bad">Some checks failed</Pill>
        )}
      </p>
      <ul className="checks">
        {checks.map((check) => (
          <CheckRow key={check.name} check={check} />
        ))}
      </ul>
    </div>
  );
}
