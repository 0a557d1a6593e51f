import { ErrorNotice } from "../../components/ErrorNotice";
import { Pill } from "../../components/ui";
import { useLiveCall } from "../../draft/live";
import { asDraft, useDraft } from "../../draft/store";

/**
 * "N of M users in scope" for the unsaved draft: the cycle's own scope decision (assignment or groups, nesting, scoping
 * filters, account state), recomputed by the engine as the admin edits.
 */
export function ScopePreview({ testId = "scope-preview" }: { testId?: string }) {
  const draft = useDraft((state) => state.draft);
  const preview = useLiveCall("scope.preview", draft ? { draft: asDraft(draft), sample: 8 } : null);
  const answer = preview.data;
  return (
    <div className="live-preview" data-testid={testId} aria-live="polite" aria-busy={preview.pending}>
      {preview.error && <ErrorNotice error={preview.error} title="The directory could not be read" />}
      {!answer && !preview.error && <p className="muted">Counting who is in scope…</p>}
      {answer?.status === "invalid" && (
        <p>
          <Pill tone="warn">Not counted</Pill> Fix the problems shown at the fields first (
          {answer.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}).
        </p>
      )}
      {answer?.status === "ok" && (
        <>
          <p className="preview-count">
            <strong data-testid={`${testId}-count`} data-count={answer.inScope}>
              {answer.inScope}
            </strong>{" "}
            of {answer.total} users would be provisioned
            {answer.disabled > 0 && `, ${answer.disabled} more in scope but disabled in Entra`}; {answer.groups} group
            {answer.groups === 1 ? "" : "s"}. {preview.pending && <span className="muted">Updating…</span>}
          </p>
          {answer.sample.length > 0 && (
            <p className="muted sample">
              For example:{" "}
              {answer.sample.map((user) => user.displayName ?? user.userPrincipalName ?? user.id).join(", ")}
              {answer.inScope > answer.sample.length ? ", …" : ""}
            </p>
          )}
        </>
      )}
    </div>
  );
}
