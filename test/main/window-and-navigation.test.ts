import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveAppFile } from "../../electron/main/app-protocol";
import { ELECTRON_CSP } from "../../electron/main/csp";
import { isAppUrl, isSafeExternalUrl } from "../../electron/main/navigation";
import { mainWindowOptions } from "../../electron/main/window-options";

describe("main window options", () => {
  it("isolates and sandboxes the renderer, without Node, and hides devtools in production", () => {
    const prefs = mainWindowOptions({ preloadPath: "/app/preload.cjs", isProduction: true }).webPreferences;
    expect(prefs).toMatchObject({
      preload: "/app/preload.cjs",
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(mainWindowOptions({ preloadPath: "/p", isProduction: false }).webPreferences?.devTools).toBe(true);
  });
});

describe("navigation predicates", () => {
  it("hands only plain https links to the system browser", () => {
    expect(isSafeExternalUrl("https://learn.microsoft.com/entra/")).toBe(true);
    for (const url of [
      "http://example.com",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "smb://server/share",
      "ms-msdt:/id PCWDiagnostic",
      "https://user:pass@example.com",
      "not a url",
      "",
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });

  it("recognises the app's own pages only", () => {
    expect(isAppUrl("app://provisiondesk/index.html")).toBe(true);
    expect(isAppUrl("app://evil/index.html")).toBe(false);
    expect(isAppUrl("https://provisiondesk/index.html")).toBe(false);
    expect(isAppUrl("file:///index.html")).toBe(false);
  });
});

describe("app:// protocol", () => {
  const root = join("/opt", "pd", "renderer");
  it("serves files inside the renderer build and nothing outside it", () => {
    expect(resolveAppFile("app://provisiondesk/index.html", root)).toBe(join(root, "index.html"));
    expect(resolveAppFile("app://provisiondesk/", root)).toBe(join(root, "index.html"));
    expect(resolveAppFile("app://provisiondesk/assets/index-1.js", root)).toBe(join(root, "assets", "index-1.js"));
    expect(resolveAppFile("app://provisiondesk/..%2f..%2fetc/passwd", root)).toBeNull();
    expect(resolveAppFile("app://provisiondesk/%2e%2e/%2e%2e/x", root)).toBe(join(root, "x")); // URL parsing clamps at the root
    expect(resolveAppFile("app://other/index.html", root)).toBeNull();
  });

  it("uses a strict CSP without any remote or inline source", () => {
    expect(ELECTRON_CSP).toContain("default-src 'self'");
    expect(ELECTRON_CSP).toContain("object-src 'none'");
    expect(ELECTRON_CSP).toContain("frame-ancestors 'none'");
    expect(ELECTRON_CSP).toContain("base-uri 'none'");
    expect(ELECTRON_CSP).not.toMatch(/unsafe|\*|ws:/);
  });
});
