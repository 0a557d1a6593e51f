import { useEffect, useRef } from "react";
import type { ReactNode } from "react";
import { useStatusTitle } from "./components/status-title";
import { StatusBadge } from "./components/ui";
import { useDraft } from "./draft/store";
import { Connections } from "./sections/Connections";
import { Dashboard } from "./sections/Dashboard";
import { Log } from "./sections/Log";
import { Mappings } from "./sections/Mappings";
import { Preview } from "./sections/Preview";
import { Profiles } from "./sections/Profiles";
import { ProvisionOnDemand } from "./sections/ProvisionOnDemand";
import { Scope } from "./sections/Scope";
import { Settings } from "./sections/Settings";
import { Target } from "./sections/Target";
import { Setup, useSetup } from "./setup/Setup";
import { useApp } from "./store";
import type { SectionId } from "./store";

const sections: { id: SectionId; label: string; view: () => ReactNode }[] = [
  { id: "dashboard", label: "Dashboard", view: () => <Dashboard /> },
  { id: "connections", label: "Connections", view: () => <Connections /> },
  { id: "scope", label: "Scope", view: () => <Scope /> },
  { id: "mappings", label: "Mappings", view: () => <Mappings /> },
  { id: "settings", label: "Settings", view: () => <Settings /> },
  { id: "profiles", label: "Profiles", view: () => <Profiles /> },
  { id: "log", label: "Log", view: () => <Log /> },
  { id: "target", label: "Target", view: () => <Target /> },
  { id: "preview", label: "Preview changes", view: () => <Preview /> },
  { id: "provision", label: "Provision on demand", view: () => <ProvisionOnDemand /> },
];

function ConnectionBanner() {
  const connection = useApp((state) => state.connection);
  if (connection === "open") return null;
  return (
    <div className="banner" role="status" data-testid="connection-banner">
      {connection === "connecting"
        ? "Connecting to ProvisionDesk…"
        : "The connection to ProvisionDesk was lost. It reconnects by itself; if this stays, check that ProvisionDesk is still running and open its link again."}
    </div>
  );
}

export function App() {
  const { section, show, dashboard, freshLogIds, connection } = useApp();
  const setupActive = useSetup((state) => state.active);
  const load = useDraft((state) => state.load);
  // The profile being edited is read once the link to main is up (and again after a reconnect).
  useEffect(() => {
    if (connection === "open") void load();
  }, [connection, load]);
  const current = sections.find((s) => s.id === section) ?? sections[0];
  useStatusTitle(setupActive ? "Setup" : (current?.label ?? ""), dashboard.data?.status ?? null);
  // A section opened from the navigation takes focus, so keyboard and screen reader users land in it.
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [section]);
  if (setupActive || dashboard.data?.profileName === null)
    return (
      <>
        <ConnectionBanner />
        <Setup />
      </>
    );
  return (
    <div className="shell">
      <a className="skip-link" href="#main-content">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            PD
          </span>
          <span>ProvisionDesk</span>
        </div>
        <nav aria-label="Sections">
          <ul>
            {sections.map(({ id, label }) => (
              <li key={id}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={section === id ? "page" : undefined}
                  onClick={() => show(id)}
                  data-testid={`nav-${id}`}
                >
                  {label}
                  {id === "log" && freshLogIds.size > 0 && section !== "log" && (
                    <span className="nav-count" aria-label={`${freshLogIds.size} new entries`}>
                      {freshLogIds.size}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          {dashboard.data && <StatusBadge status={dashboard.data.status} />}
          {dashboard.data?.profileName && <p className="muted">Profile: {dashboard.data.profileName}</p>}
        </div>
      </aside>
      <main
        id="main-content"
        ref={main}
        tabIndex={-1}
        className="content"
        data-testid={`section-${current?.id}`}
        aria-label={current?.label}
      >
        <ConnectionBanner />
        {current?.view()}
      </main>
    </div>
  );
}
