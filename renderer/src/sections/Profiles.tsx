import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { ProfileList } from "../../../shared/ipc/model";
import type { AppError } from "../../../shared/ipc/result";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Loading, Pill, SectionHeader } from "../components/ui";
import { useDraft } from "../draft/store";
import { formatRelative } from "../format";
import { useSetup } from "../setup/Setup";
import { useApp } from "../store";

type Change = { method: "profiles.select"; name: string } | { method: "profiles.delete"; name: string };

/** Inline rename: the engine checks the name (as the profile schema does) and its refusal is shown at the field. */
function RenameForm({
  name,
  onDone,
}: {
  name: string;
  onDone: (renamed: { list: ProfileList; to: string } | null) => void;
}) {
  const invoke = useApp((state) => state.api?.invoke);
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const id = useId();
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!invoke) return;
        setPending(true);
        const to = value.trim();
        void invoke("profiles.rename", { from: name, to }).then((result) => {
          setPending(false);
          if (result.ok) onDone({ list: result.value, to });
          else setError(result.error.message);
        });
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") onDone(null);
      }}
    >
      <label htmlFor={id}>New name for {name}</label>
      <input
        id={id}
        autoFocus
        value={value}
        onChange={(event) => setValue(event.target.value)}
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-error` : undefined}
        data-testid="profile-rename-input"
      />
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert" data-testid="profile-rename-error">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="primary" disabled={pending} data-testid="profile-rename-save">
          {pending ? "Renaming…" : "Rename"}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Every stored profile: switch to one, rename or delete it, or start a new one with first-run setup. */
export function Profiles() {
  const api = useApp((state) => state.api);
  const refresh = useApp((state) => state.refresh);
  const loadDraft = useDraft((state) => state.load);
  const [list, setList] = useState<ProfileList | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const confirm = useRef<HTMLDialogElement>(null);
  // Where focus goes back to after the delete dialog closes.
  const returnTo = useRef<HTMLElement | null>(null);
  // After the rename field closes, focus goes to that profile's Rename button (a new row when it was renamed).
  const renameButtons = useRef(new Map<string, HTMLButtonElement>());
  const focusRename = useRef<string | null>(null);
  // Back from setup by its Cancel: focus returns to the button that opened it.
  const newProfile = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!useSetup.getState().cancelled) return;
    useSetup.setState({ cancelled: false });
    newProfile.current?.focus();
  }, []);
  useEffect(() => {
    if (renaming !== null || focusRename.current === null) return;
    renameButtons.current.get(focusRename.current)?.focus();
    focusRename.current = null;
  }, [renaming, list]);

  const apply = useCallback(
    async (next: ProfileList) => {
      setList(next);
      setError(null);
      // The active profile may have changed name or identity: the dashboard and the edited draft follow it.
      await Promise.all([refresh("dashboard"), loadDraft()]);
    },
    [refresh, loadDraft],
  );

  useEffect(() => {
    if (!api) return;
    void api.invoke("profiles.list", {}).then((result) => {
      if (result.ok) setList(result.value);
      else setError(result.error);
    });
  }, [api]);

  const change = async (request: Change) => {
    if (!api) return;
    const result = await api.invoke(request.method, { name: request.name });
    if (result.ok) await apply(result.value);
    else setError(result.error);
  };

  const restoreFocus = () => {
    const target = returnTo.current;
    returnTo.current = null;
    // The button that opened it may be gone (its profile was deleted): the section itself takes focus then.
    if (target?.isConnected) target.focus();
    else document.getElementById("main-content")?.focus();
  };

  return (
    <>
      <SectionHeader
        title="Profiles"
        description="Each profile is one Entra ID tenant provisioned to one target, with its own secrets and history. The app and the CLI use the active one."
        actions={
          <button
            ref={newProfile}
            type="button"
            className="primary"
            onClick={() => useSetup.getState().set(true)}
            data-testid="profile-new"
          >
            New profile
          </button>
        }
      />
      {error && <ErrorNotice error={error} title="The profiles could not be changed" />}
      {!list ? (
        !error && <Loading what="profiles" />
      ) : (
        <Card title="Stored profiles" testId="profiles-list">
          <ul className="profile-list">
            {list.profiles.map((profile) => {
              const active = profile.name === list.active;
              return (
                <li key={profile.name} className="profile-row" data-testid={`profile-${profile.name}`}>
                  <div>
                    <strong>{profile.name}</strong>
                    {active && (
                      <span data-testid="profile-active">
                        <Pill tone="ok">Active</Pill>
                      </span>
                    )}
                    <p className="muted">
                      Revision {profile.revision}, last changed {formatRelative(profile.updatedAt)}
                    </p>
                  </div>
                  {renaming === profile.name ? (
                    <RenameForm
                      name={profile.name}
                      onDone={(renamed) => {
                        focusRename.current = renamed?.to ?? profile.name;
                        setRenaming(null);
                        if (renamed) void apply(renamed.list);
                      }}
                    />
                  ) : (
                    <div className="button-row">
                      {!active && (
                        <button
                          type="button"
                          onClick={() => void change({ method: "profiles.select", name: profile.name })}
                          data-testid="profile-select"
                        >
                          Switch to
                        </button>
                      )}
                      <button
                        type="button"
                        ref={(button) => {
                          if (button) renameButtons.current.set(profile.name, button);
                          else renameButtons.current.delete(profile.name);
                        }}
                        onClick={() => setRenaming(profile.name)}
                        data-testid="profile-rename"
                      >
                        Rename…
                      </button>
                      <button
                        type="button"
                        onClick={(event) => {
                          returnTo.current = event.currentTarget;
                          setDeleting(profile.name);
                          confirm.current?.showModal();
                        }}
                        data-testid="profile-delete"
                      >
                        Delete…
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </Card>
      )}
      <dialog
        ref={confirm}
        className="confirm"
        aria-labelledby="profile-delete-title"
        data-testid="profile-delete-dialog"
        onClose={restoreFocus}
      >
        <form method="dialog">
          <h2 id="profile-delete-title">Delete the profile “{deleting}”?</h2>
          <p>
            Its secrets in the system keychain and its whole history (cycles, log, links to target objects) are deleted
            with it. Accounts already in the target stay as they are. This cannot be undone.
          </p>
          <div className="button-row">
            <button type="submit" value="cancel" autoFocus>
              Cancel
            </button>
            <button
              type="submit"
              value="delete"
              className="primary"
              data-testid="profile-delete-confirm"
              onClick={() => {
                if (deleting) void change({ method: "profiles.delete", name: deleting });
              }}
            >
              Delete profile
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
