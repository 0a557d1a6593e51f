import { create } from "zustand";

/** "system" follows the OS (prefers-color-scheme); the others pin the theme. */
export type Theme = "system" | "light" | "dark";
export const THEMES: readonly Theme[] = ["system", "light", "dark"];

const STORAGE_KEY = "provisiondesk.theme";

function stored(): Theme {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return THEMES.includes(value as Theme) ? (value as Theme) : "system";
  } catch {
    return "system";
  }
}

/** styles.css reads data-theme; without it the media query decides. */
function apply(theme: Theme): void {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** The window's theme, kept on this machine (a display choice, not part of the profile). Settings calls setTheme. */
export const useTheme = create<{ theme: Theme; setTheme(theme: Theme): void }>()((set) => {
  const theme = stored();
  apply(theme);
  return {
    theme,
    setTheme(next) {
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // Storage can be off (private windows); the choice then lasts until the window closes.
      }
      apply(next);
      set({ theme: next });
    },
  };
});
