import { useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { create } from "zustand";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Facts, Pill } from "../components/ui";
import { getIn, isUnder } from "../draft/paths";
import type { JsonObject } from "../draft/paths";
import { schemaProblems, useDraft } from "../draft/store";
import { useApp } from "../store";
import { DraftTestResult, useDraftTest } from "../sections/connections/DraftTest";
import { SourceForm } from "../sections/connections/SourceForm";
import { TargetForm } from "../sections/connections/TargetForm";
import { RunResult } from "../sections/Dashboard";
import { ScopePicker } from "../sections/scope/ScopePicker";
import { ScopePreview } from "../sections/scope/ScopePreview";
import { ScheduleAndSafety } from "../sections/Settings";
import { NEW_PROFILE } from "./template";

/**
 * Setup stays on screen until the admin leaves it, even after its profile was saved (to preview and run). `cancelled`
 * tells Profiles that the admin came back by Cancel, so its "New profile" button takes focus again.
 */
export const useSetup = create<{ active: boolean; cancelled: boolean; set(active: boolean): void }>()((set) => ({
  active: false,
  cancelled: false,
  set: (active) => set({ active, cancelled: false }),
}));

/** The secrets typed for an additional profile: held until it is saved, then stored under its own name. */
type PendingSecrets = { "client-secret": string; "scim-token": string };

type StepId = "source" | "target" | "scope" | "mappings" | "schedule" | "review";
const STEPS: { id: StepId; title: string; paths: string[] }[] = [
  {
    id: "source",
    title: "Source: Entra ID",
    paths: ["source.tenantId", "source.clientId", "source.appId", "source.credential", "source.cloud", "source.caFile"],
  },
  { id: "target", title: "Target", paths: ["target"] },
  { id: "scope", title: "Scope", paths: ["source.scope", "source.includeNestedGroups"] },
  { id: "mappings", title: "Mappings", paths: ["rules"] },
  { id: "schedule", title: "Schedule and safety", paths: ["schedule", "deprovision", "safety"] },
  { id: "review", title: "Review and save", paths: [] },
];

const STAND_IN_TARGET = { preset: "generic", tenantUrl: "https://target.invalid/scim/v2" };

/** Tests one side with the secret just typed; stores the secret when it passes (or when the admin goes on anyway). */
function ConnectionStep({
  side,
  children,
  secret,
  deferStore,
  onNext,
}: {
  side: "source" | "target";
  children: ReactNode;
  secret: { name: "client-secret" | "scim-token"; value: string };
  /** An additional profile: its secrets are stored once it is saved (the one in use keeps its own). */
  deferStore: boolean;
  onNext(): void;
}) {
  const test = useDraftTest();
  const { saveSecret, secretSave } = useApp();
  const [failed, setFailed] = useState(false);
  const store = async () => (deferStore || !secret.value.trim() ? true : saveSecret(secret.name, secret.value.trim()));
  const next = async () => {
    const draft = useDraft.getState().draft ?? {};
    // The engine checks a whole profile; before the target is entered, the source is tested beside a stand-in target
    // (never contacted: only the source side is tested).
    const sourceOnly = { ...draft, target: STAND_IN_TARGET } as JsonObject;
    delete sourceOnly.rules;
    const passed =
      side === "source"
        ? await test.run("source", { clientSecret: secret.value }, sourceOnly)
        : await test.run("target", { scimToken: secret.value });
    if (!passed) return setFailed(true);
    if (await store()) onNext();
  };
  return (
    <>
      {children}
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={test.pending}
          onClick={() => void next()}
          data-testid="setup-test-next"
        >
          {test.pending ? "Testing…" : "Test and continue"}
        </button>
        {failed && (
          <button
            type="button"
            onClick={() => void store().then((ok) => ok && onNext())}
            data-testid="setup-continue-anyway"
          >
            Continue without a passing test
          </button>
        )}
      </div>
      {secretSave.error && <ErrorNotice error={secretSave.error} title="The secret was not stored" />}
      <DraftTestResult test={test} testId={`setup-${side}-checks`} />
    </>
  );
}

function Review({ onJump, pending }: { onJump(step: StepId): void; pending: PendingSecrets | null }) {
  const { draft, save, saving, saveProblems, saveError, savedRevision } = useDraft();
  const { run, provisionNow, show, saveSecret, secretSave } = useApp();
  const saveAll = async () => {
    if (!(await save()) || !pending) return;
    const name = String(getIn(useDraft.getState().draft, "name"));
    for (const [secret, value] of Object.entries(pending) as [keyof PendingSecrets, string][])
      if (value.trim() && !(await saveSecret(secret, value.trim(), name))) return;
  };
  const scope = getIn(draft, "source.scope");
  const errors = saveProblems.filter((problem) => problem.severity === "error");
  const stepOf = (path: string) => STEPS.find((step) => step.paths.some((p) => isUnder(path, p)))?.id ?? "source";
  return (
    <>
      <Facts
        items={[
          ["Tenant", String(getIn(draft, "source.tenantId") ?? "")],
          ["Enterprise app", String(getIn(draft, "source.appId") ?? "")],
          ["Target", String(getIn(draft, "target.tenantUrl") ?? "")],
          [
            "Scope",
            scope === "assigned"
              ? "Assigned to the enterprise app"
              : scope === "all"
                ? "Everyone"
                : `${(getIn(draft, "source.scope.groups") as unknown[] | undefined)?.length ?? 0} picked groups`,
          ],
          ["Mappings", draft?.rules ? "Customised" : "The preset's defaults"],
          ["Schedule", `Every ${String(getIn(draft, "schedule.intervalMinutes"))} minutes`],
          ["Deletion threshold", String(getIn(draft, "safety.deletionThreshold"))],
        ]}
      />
      {savedRevision === null ? (
        <div className="button-row">
          <button
            type="button"
            className="primary"
            disabled={saving}
            onClick={() => void saveAll()}
            data-testid="setup-save"
          >
            {saving ? "Saving…" : "Save the profile"}
          </button>
        </div>
      ) : pending ? (
        // Preview and run act on the profile in use, which this one is not (yet).
        <>
          <p className="cycle-line" role="status" data-testid="setup-saved">
            <Pill tone="ok">Saved</Pill> Nothing has been sent to the target yet. To preview and run it, use it from
            Profiles.
          </p>
          <div className="button-row">
            <button
              type="button"
              className="primary"
              onClick={() => {
                useSetup.getState().set(false);
                show("profiles");
                // The other sections edit the profile in use again.
                void useDraft.getState().load();
              }}
              data-testid="setup-finish"
            >
              Open Profiles
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="cycle-line" role="status" data-testid="setup-saved">
            <Pill tone="ok">Saved</Pill> Nothing has been sent to the target yet. Preview the first cycle, then run it.
          </p>
          <div className="button-row">
            <button
              type="button"
              className={run.result ? "" : "primary"}
              disabled={run.pending}
              onClick={() => void provisionNow({ dryRun: true })}
              data-testid="dry-run"
            >
              {run.pending && run.dryRun ? "Previewing…" : "Preview (dry run)"}
            </button>
            <button
              type="button"
              className={run.result?.dryRun ? "primary" : ""}
              disabled={run.pending}
              onClick={() => void provisionNow({ dryRun: false })}
              data-testid="provision-now"
            >
              {run.pending && !run.dryRun ? "Provisioning…" : "Run the first cycle"}
            </button>
            <button
              type="button"
              className={run.result && !run.dryRun ? "primary" : ""}
              onClick={() => {
                useSetup.getState().set(false);
                show("dashboard");
              }}
              data-testid="setup-finish"
            >
              Open the dashboard
            </button>
          </div>
          <RunResult />
        </>
      )}
      {errors.length > 0 && (
        <div className="notice notice-error" role="alert" data-testid="save-refused">
          <p className="notice-title">Not saved: fix these first</p>
          <ul className="problems">
            {errors.map((problem, index) => (
              <li key={index}>
                <code>{problem.path}</code> {problem.message}{" "}
                <button type="button" className="link-button" onClick={() => onJump(stepOf(problem.path))}>
                  Go to the step
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {saveError && <ErrorNotice error={saveError} title="The profile was not saved" />}
      {pending && secretSave.error && (
        <ErrorNotice error={secretSave.error} title="The profile was saved, but a secret was not stored" />
      )}
    </>
  );
}

/** First-run setup: everything a new profile needs, one step at a time, with each connection tested as it is entered. */
export function Setup() {
  const { draft, startNew, baseRevision, savedRevision, load } = useDraft();
  const { connections, show } = useApp();
  // Started from Profiles while a profile is in use: the presence flags and the stored secrets are that profile's,
  // not this new one's, and the admin can go back without anything stored.
  const [adding] = useState(() => useApp.getState().dashboard.data?.profileName != null);
  const [step, setStep] = useState<StepId>("source");
  const [secret, setSecret] = useState("");
  const [token, setToken] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  const index = STEPS.findIndex((s) => s.id === step);
  const current = STEPS[index]!;

  useEffect(() => {
    useSetup.getState().set(true);
    if (!draft || baseRevision !== null) startNew(NEW_PROFILE);
    // Once: setup starts from the template, and later renders keep what the admin typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const first = useRef(true);
  useEffect(() => {
    // Keyboard and screen-reader users land on the new step's heading.
    if (first.current) first.current = false;
    else heading.current?.focus();
  }, [step]);

  const go = (target: StepId) => setStep(target);
  /** Next only when this step's fields pass the profile schema; otherwise its problems show at the fields. */
  const next = () => {
    const problems = schemaProblems(useDraft.getState().draft).filter((problem) =>
      current.paths.some((path) => isUnder(problem.path, path)),
    );
    if (problems.length) {
      useDraft.setState(({ touched }) => ({ touched: new Set([...touched, ...current.paths]) }));
      return false;
    }
    const following = STEPS[index + 1];
    if (following) go(following.id);
    return true;
  };
  const tryNext = () => void next();
  const credential = getIn(draft, "source.credential.type");
  const stored = adding
    ? { clientSecret: false, scimToken: false, smtpPassword: false }
    : (connections.data?.secrets ?? null);
  const clientSecret = credential === "certificate" ? "" : secret;
  const cancel = async () => {
    useSetup.setState({ active: false, cancelled: true });
    show("profiles");
    await load();
  };

  if (!draft) return null;
  return (
    <main className="setup" aria-labelledby="setup-title" data-testid="setup">
      <header className="setup-header">
        <span className="brand-mark" aria-hidden="true">
          PD
        </span>
        <div>
          <h1 id="setup-title">Set up ProvisionDesk</h1>
          <p className="muted">
            Connect Microsoft Entra ID to your SCIM app. Secrets go straight to this computer's keychain and are never
            shown again.
          </p>
        </div>
        {adding && savedRevision === null && (
          <button type="button" className="setup-cancel" onClick={() => void cancel()} data-testid="setup-cancel">
            Cancel
          </button>
        )}
      </header>
      <nav aria-label="Setup steps">
        <ol className="stepper">
          {STEPS.map((s, i) => (
            <li key={s.id} aria-current={s.id === step ? "step" : undefined} className={i < index ? "done" : ""}>
              <span className="step-number" aria-hidden="true">
                {i + 1}
              </span>{" "}
              {s.title}
            </li>
          ))}
        </ol>
      </nav>
      <Card className="setup-card" testId={`setup-step-${step}`}>
        <h2 ref={heading} tabIndex={-1} className="card-title">
          Step {index + 1} of {STEPS.length}: {current.title}
        </h2>
        {step === "source" && (
          <ConnectionStep
            side="source"
            secret={{ name: "client-secret", value: clientSecret }}
            deferStore={adding}
            onNext={tryNext}
          >
            <SourceForm secret={secret} onSecret={setSecret} secretStored={stored?.clientSecret ?? null} />
          </ConnectionStep>
        )}
        {step === "target" && (
          <ConnectionStep
            side="target"
            secret={{ name: "scim-token", value: token }}
            deferStore={adding}
            onNext={tryNext}
          >
            <TargetForm token={token} onToken={setToken} tokenStored={stored?.scimToken ?? null} />
          </ConnectionStep>
        )}
        {step === "scope" && (
          <>
            <ScopePreview />
            <ScopePicker />
          </>
        )}
        {step === "mappings" && (
          <p data-testid="setup-mappings">
            ProvisionDesk starts with the preset's default mappings, the same as Entra's gallery app for this target
            (user name from the UPN, names, e-mail, the account's state
            {getIn(draft, "target.preset") === "splashtop" ? ", and the SSO method" : ""}). You can review and change
            every mapping under <strong>Mappings</strong> once setup is saved, and try them on a real user there first.
          </p>
        )}
        {step === "schedule" && (
          <div className="form">
            <ScheduleAndSafety />
          </div>
        )}
        {step === "review" && (
          <Review onJump={go} pending={adding ? { "client-secret": clientSecret, "scim-token": token } : null} />
        )}
        {step !== "review" && (
          <div className="button-row setup-nav">
            {index > 0 && (
              <button type="button" onClick={() => go(STEPS[index - 1]!.id)} data-testid="setup-back">
                Back
              </button>
            )}
            {step !== "source" && step !== "target" && (
              <button type="button" className="primary" onClick={tryNext} data-testid="setup-next">
                {step === "mappings" ? "Keep the defaults and continue" : "Continue"}
              </button>
            )}
          </div>
        )}
        {step === "review" && savedRevision === null && (
          <div className="button-row setup-nav">
            <button type="button" onClick={() => go("schedule")} data-testid="setup-back">
              Back
            </button>
          </div>
        )}
      </Card>
    </main>
  );
}
