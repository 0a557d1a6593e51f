import { useState } from "react";
import { ErrorNotice } from "../components/ErrorNotice";
import { ColumnHeads, Pill } from "../components/ui";
import { useChanges, useDraft } from "./store";
import type { Change } from "./paths";

const show = (value: unknown) =>
  value === undefined ? <span className="muted">(not set)</span> : <code>{JSON.stringify(value)}</code>;

export function ChangesTable({ changes, label }: { changes: Change[]; label: string }) {
  return (
    <table className="table compact" aria-label={label} data-testid="changes-table">
      <ColumnHeads columns={["Setting", "Stored", "Yours"]} />
      <tbody>
        {changes.map((change) => (
          <tr key={change.path}>
            <td>
              <code>{change.path}</code>
            </td>
            <td className="old-value">{show(change.before)}</td>
            <td className="new-value">{show(change.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Save or discard the profile being edited, with the changes reviewed first. A save sends the whole profile with the
 * revision it started from; a refused save leaves the stored profile running and shows each problem at its field.
 */
export function SaveBar() {
  const { save, discard, saving, saveProblems, conflict, saveError, savedRevision, baseRevision, load } = useDraft();
  const changes = useChanges();
  const [review, setReview] = useState(false);
  const errors = saveProblems.filter((problem) => problem.severity === "error");
  const warnings = saveProblems.filter((problem) => problem.severity === "warning");
  if (!changes.length && !errors.length && !conflict && !savedRevision && !saveError) return null;
  return (
    <section
      className={`save-bar ${changes.length || errors.length || conflict ? "save-bar-pending" : ""}`}
      aria-label="Unsaved changes"
      data-testid="save-bar"
    >
      {changes.length > 0 && (
        <div className="save-row">
          <p>
            <strong>
              {changes.length} unsaved change{changes.length === 1 ? "" : "s"}
            </strong>{" "}
            <span className="muted">The stored profile keeps running until you save.</span>
          </p>
          <div className="button-row">
            <button
              type="button"
              aria-expanded={review}
              onClick={() => setReview(!review)}
              data-testid="review-changes"
            >
              {review ? "Hide changes" : "Review changes"}
            </button>
            <button type="button" onClick={discard} data-testid="discard-changes">
              Discard
            </button>
            <button
              type="button"
              className="primary"
              disabled={saving}
              onClick={() => void save()}
              data-testid="save-profile"
            >
              {saving ? "Saving…" : "Save"}
            </button>
          </div>
        </div>
      )}
      {review && changes.length > 0 && <ChangesTable changes={changes} label="Changes to save" />}
      {errors.length > 0 && (
        <div className="notice notice-error" role="alert" data-testid="save-refused">
          <p className="notice-title">
            Not saved: the profile has {errors.length} problem{errors.length === 1 ? "" : "s"}
          </p>
          <p>Nothing was changed; the stored profile keeps running. Each problem is also shown at its field.</p>
          <ul className="problems">
            {errors.map((problem, index) => (
              <li key={index}>
                <code>{problem.path || "(profile)"}</code> {problem.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {conflict && (
        <div className="notice notice-error" role="alert" data-testid="save-conflict">
          <p className="notice-title">Not saved: the profile was changed elsewhere since you opened it</p>
          <p>
            Someone saved it in another window or imported it with <code>provision-desk config import</code>. This is
            what differs from your version:
          </p>
          <ChangesTable
            changes={conflict.changes.map((c) => ({ path: c.path, before: c.stored, after: c.submitted }))}
            label="Stored profile compared with yours"
          />
          <div className="button-row">
            <button type="button" onClick={() => void load()}>
              Load the stored profile (drop my changes)
            </button>
            {conflict.revision !== null && (
              <button
                type="button"
                onClick={() => {
                  useDraft.setState({ baseRevision: conflict.revision });
                  void save();
                }}
              >
                Save mine over it
              </button>
            )}
          </div>
        </div>
      )}
      {saveError && <ErrorNotice error={saveError} title="The profile was not saved" />}
      {savedRevision !== null && !changes.length && (
        <p className="cycle-line" role="status" data-testid="save-done">
          <Pill tone="ok">Saved</Pill> Revision {baseRevision ?? savedRevision}. The next cycle uses it.
          {warnings.length > 0 &&
            ` ${warnings.length} warning${warnings.length === 1 ? "" : "s"}: ${warnings.map((w) => `${w.path}: ${w.message}`).join("; ")}`}
        </p>
      )}
    </section>
  );
}
