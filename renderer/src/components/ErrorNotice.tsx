import { useId, useState } from "react";
import type { AppError } from "../../../shared/ipc/result";

/** First sentence = what happened; the rest says why and what to do. */
function splitMessage(message: string): [string, string] {
  const match = /^(.+?[.!?])\s+(.*)$/s.exec(message);
  return match ? [match[1] ?? message, match[2] ?? ""] : [message, ""];
}

/** An error as an admin needs it: what happened, why and what to do, with technical detail one click away. */
export function ErrorNotice({ error, title }: { error: AppError; title?: string }) {
  const [open, setOpen] = useState(false);
  const detailId = useId();
  const [what, rest] = splitMessage(error.message);
  return (
    <div className="notice notice-error" role="alert" data-testid="error-notice" data-error-code={error.code}>
      {title && <p className="notice-title">{title}</p>}
      <p className="notice-what">{what}</p>
      {rest && <p className="notice-why">{rest}</p>}
      <button
        type="button"
        className="link-button"
        aria-expanded={open}
        aria-controls={detailId}
        onClick={() => setOpen(!open)}
      >
        {open ? "Hide details" : "Details"}
      </button>
      {open && (
        <pre id={detailId} className="notice-detail">
          {`Error code: ${error.code}${error.detail ? `\n${error.detail}` : ""}`}
        </pre>
      )}
    </div>
  );
}
