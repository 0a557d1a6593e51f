import { useState } from "react";
import type { ConnectionCheck } from "../../../../shared/ipc/model";
import type { AppError } from "../../../../shared/ipc/result";
import { Checks } from "../../components/Checks";
import { ErrorNotice } from "../../components/ErrorNotice";
import type { JsonObject } from "../../draft/paths";
import { asDraft, useDraft } from "../../draft/store";
import { useApp } from "../../store";

export type Side = "source" | "target" | "both";

/** Runs connections.testDraft: the unsaved settings, with a secret typed but not stored yet. */
export function useDraftTest() {
  const [state, setState] = useState<{ pending: boolean; checks: ConnectionCheck[] | null; error: AppError | null }>({
    pending: false,
    checks: null,
    error: null,
  });
  const run = async (
    side: Side,
    secrets: { clientSecret?: string; scimToken?: string },
    /** Tests this instead of the draft (setup tests the source before any target is entered). */
    only?: JsonObject,
  ): Promise<boolean> => {
    const api = useApp.getState().api;
    const draft = only ?? useDraft.getState().draft;
    if (!api || !draft) return false;
    setState({ pending: true, checks: null, error: null });
    const result = await api.invoke("connections.testDraft", {
      draft: asDraft(draft),
      side,
      ...(secrets.clientSecret?.trim() ? { clientSecret: secrets.clientSecret.trim() } : {}),
      ...(secrets.scimToken?.trim() ? { scimToken: secrets.scimToken.trim() } : {}),
    });
    setState({ pending: false, checks: result.ok ? result.value : null, error: result.ok ? null : result.error });
    return result.ok && result.value.every((check) => check.ok);
  };
  return { ...state, run };
}

export function DraftTestResult({ test, testId }: { test: ReturnType<typeof useDraftTest>; testId: string }) {
  if (test.pending)
    return (
      <p className="muted" role="status">
        Testing…
      </p>
    );
  return (
    <>
      {test.error && <ErrorNotice error={test.error} title="The test could not run" />}
      {test.checks && <Checks checks={test.checks} testId={testId} />}
    </>
  );
}
