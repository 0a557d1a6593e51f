/** The window's colour theme: a preference of this computer's window, not of the profile (the CLI has no use for it). */
export type Theme = "system" | "light" | "dark";

const KEY = "provisionDesk.theme";

export function storedTheme(): Theme {
  const value = localStorage.getItem(KEY);
  return value === "light" || value === "dark" ? value : "system";
}

/** "system" follows the OS (color-scheme: light dark with light-dark() colours in styles.css); light and dark override it. */
export function applyTheme(theme: Theme): void {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  localStorage.setItem(KEY, theme);
}
