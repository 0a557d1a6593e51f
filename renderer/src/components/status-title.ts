import { useEffect } from "react";
import type { AppStatus } from "../../../shared/ipc/model";
import { statusLabel } from "../format";

const dotColor: Record<AppStatus, string> = {
  idle: "#1d7a46",
  syncing: "#1f5fbf",
  warning: "#c27c00",
  error: "#b42318",
  paused: "#5d6b7c",
};

/** A favicon that is the status dot, so a browser tab shows the state at a glance (data: images pass the CSP). */
function favicon(status: AppStatus | null): string {
  const fill = status ? dotColor[status] : "#5d6b7c";
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${fill}"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** The window title names the section and the status ("Log · Needs attention — ProvisionDesk"); the favicon shows it. */
export function useStatusTitle(section: string, status: AppStatus | null): void {
  useEffect(() => {
    document.title = [section, status && statusLabel[status]].filter(Boolean).join(" · ") + " — ProvisionDesk";
    let link = document.querySelector<HTMLLinkElement>("link[rel='icon']");
    if (!link) {
      link = document.createElement("link");
      link.rel = "icon";
      document.head.append(link);
    }
    link.href = favicon(status);
  }, [section, status]);
}
