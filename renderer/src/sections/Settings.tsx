import { useEffect, useId, useState } from "react";
import type { ResultOf } from "../../../shared/ipc/contract";
import type { AppError } from "../../../shared/ipc/result";
import { CheckboxField, NumberField, SelectField } from "../components/fields";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Loading, SectionHeader } from "../components/ui";
import { SaveBar } from "../draft/SaveBar";
import { useDraft } from "../draft/store";
import { useApp } from "../store";
import { AlertSettings } from "./AlertSettings";
import { applyTheme, storedTheme } from "../theme";
import type { Theme } from "../theme";

const DEPROVISION = [
  ["disable", "Disable it in the target"],
  ["delete", "Delete it from the target"],
  ["none", "Leave it as it is"],
] as const;

function ThemePicker() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Theme</label>
      <select
        id={id}
        value={theme}
        data-testid="settings-theme"
        onChange={(event) => {
          const next = event.target.value as Theme;
          setTheme(next);
          applyTheme(next);
        }}
      >
        <option value="system">Same as the system</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </div>
  );
}

/** Start at login: a setting of the OS, so it applies at once (no Save) and only shows where the app can set it. */
function StartAtLogin() {
  const api = useApp((state) => state.api);
  const [state, setState] = useState<ResultOf<"app.loginItem"> | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const id = useId();
  const ask = (request: { enabled?: boolean }) => {
    void api?.invoke("app.loginItem", request).then((result) => {
      if (result.ok) setState(result.value);
      setError(result.ok ? null : result.error);
    });
  };
  useEffect(() => {
    void api?.invoke("app.loginItem", {}).then((result) => {
      if (result.ok) setState(result.value);
      else setError(result.error);
    });
  }, [api]);
  if (!state?.supported && !error) return null;
  return (
    <div className="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={state?.enabled ?? false}
        onChange={(event) => ask({ enabled: event.target.checked })}
        aria-describedby={`${id}-hint`}
        data-testid="settings-start-at-login"
      />
      <label htmlFor={id}>Start at login</label>
      <p id={`${id}-hint`} className="field-hint">
        ProvisionDesk starts in the tray when you sign in, so scheduled cycles keep running.
      </p>
      {error && <ErrorNotice error={error} title="Start at login could not be changed" />}
    </div>
  );
}

/** Schedule and safety fields, shared with first-run setup's "Schedule and safety" step. */
export function ScheduleAndSafety() {
  return (
    <>
      <NumberField
        path="schedule.intervalMinutes"
        label="Run a cycle every"
        unit="minutes"
        min={5}
        max={1440}
        hint="5 minutes or more. Entra's own service runs every 40 minutes."
        testId="settings-interval"
      />
      <SelectField
        path="deprovision.users"
        label="When a user leaves scope or is deleted in Entra"
        options={DEPROVISION}
        fallback="disable"
        testId="settings-deprovision-users"
      />
      <SelectField
        path="deprovision.groups"
        label="When a group leaves scope or is deleted in Entra"
        options={DEPROVISION}
        fallback="delete"
        testId="settings-deprovision-groups"
      />
      <NumberField
        path="safety.deletionThreshold"
        label="Deletion threshold"
        unit="disables + deletes per cycle"
        min={0}
        hint="A cycle that would disable or delete more than this stops before doing any of it, until you allow it once."
        testId="settings-threshold"
      />
    </>
  );
}

export function Settings() {
  const { draft, loadError } = useDraft();
  return (
    <>
      <SectionHeader
        title="Settings"
        description="When cycles run, what happens to accounts that leave scope, the safety gates, and how hard the target is driven."
      />
      {loadError && <ErrorNotice error={loadError} title="The profile could not be read" />}
      {!draft ? (
        <Loading what="settings" />
      ) : (
        <div className="grid two">
          <Card title="Schedule and deprovisioning" testId="settings-schedule">
            <div className="form">
              <ScheduleAndSafety />
              <CheckboxField
                path="schedule.paused"
                label="Pause scheduled cycles"
                hint="Provision Now still works while paused."
                testId="settings-paused"
              />
            </div>
          </Card>
          <Card title="Safety" testId="settings-safety">
            <div className="form">
              <NumberField
                path="safety.canaryFraction"
                label="Canary fraction"
                min={0}
                max={1}
                step={0.05}
                hint="Stop when Entra suddenly returns fewer than this share of the objects it returned before (0 to 1)."
                testId="settings-canary"
              />
            </div>
          </Card>
          <Card title="Log" testId="settings-log">
            <div className="form">
              <NumberField
                path="log.retentionDays"
                label="Keep log entries and cycles for"
                unit="days"
                min={1}
                max={3650}
                hint="Older entries are deleted at the end of each cycle. Export the log first to keep it longer."
                testId="settings-retention"
              />
            </div>
          </Card>
          <Card title="Requests to the target" testId="settings-requests">
            <div className="form">
              <NumberField path="target.requestsPerSecond" label="Requests per second" min={1} testId="settings-rps" />
              <NumberField
                path="target.concurrency"
                label="Requests at a time"
                min={1}
                max={32}
                testId="settings-concurrency"
              />
              <NumberField
                path="target.timeoutSeconds"
                label="Timeout"
                unit="seconds"
                min={1}
                testId="settings-timeout"
              />
              <NumberField
                path="target.membershipBatchSize"
                label="Members per membership change"
                min={1}
                max={1000}
                hint="Used when the target does not say how many operations a request may carry."
                testId="settings-batch"
              />
            </div>
          </Card>
          <AlertSettings />
          <Card title="This window" testId="settings-window">
            <div className="form">
              <ThemePicker />
              <StartAtLogin />
            </div>
          </Card>
        </div>
      )}
      <SaveBar />
    </>
  );
}
