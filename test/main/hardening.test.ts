import type { Session, WebContents } from "electron";
import { describe, expect, it } from "vitest";
import { redactSecrets, REDACTED } from "../../electron/app/redact";
import { GESTURE_WINDOW_MS, guardNavigation } from "../../electron/main/navigation";
import { denyPermissions } from "../../electron/main/permissions";
import { createSessionFake, createWebContentsFake } from "./electron-fake";

function guarded() {
  const fake = createWebContentsFake();
  const opened: string[] = [];
  let now = 1_000_000;
  guardNavigation(
    fake.contents as unknown as WebContents,
    async (url) => void opened.push(url),
    () => now,
  );
  return { ...fake, opened, advance: (ms: number) => (now += ms) };
}

describe("navigation guard", () => {
  it("denies every navigation and opens nothing, even a safe https link or the app's own page", () => {
    const page = guarded();
    for (const url of ["https://learn.microsoft.com/entra/", "app://provisiondesk/index.html", "file:///etc/passwd"]) {
      expect(page.emit("will-navigate", url), url).toBe(true);
      expect(page.emit("will-frame-navigate", { url }), url).toBe(true);
    }
    page.emit("input-event", { type: "mouseDown" }); // a click does not make a navigation acceptable either
    expect(page.emit("will-navigate", "https://learn.microsoft.com/entra/")).toBe(true);
    expect(page.emit("will-redirect", "https://evil.example/")).toBe(true);
    expect(page.emit("will-attach-webview")).toBe(true);
    expect(page.opened).toEqual([]);
  });

  it("opens a safe https link in the system browser only right after a click or key press, and never a window", () => {
    const page = guarded();
    expect(page.windowOpen("https://learn.microsoft.com/entra/")).toEqual({ action: "deny" });
    expect(page.opened).toEqual([]); // script-opened, no gesture

    page.emit("input-event", { type: "mouseMove" });
    expect(page.windowOpen("https://learn.microsoft.com/entra/")).toEqual({ action: "deny" });
    expect(page.opened).toEqual([]); // moving the mouse is not a gesture

    page.emit("input-event", { type: "mouseUp" });
    expect(page.windowOpen("https://learn.microsoft.com/entra/")).toEqual({ action: "deny" });
    expect(page.opened).toEqual(["https://learn.microsoft.com/entra/"]);

    page.emit("input-event", { type: "keyDown" });
    expect(page.windowOpen("javascript:alert(1)")).toEqual({ action: "deny" });
    expect(page.windowOpen("file:///etc/passwd")).toEqual({ action: "deny" });
    expect(page.opened).toHaveLength(1); // unsafe links never, gesture or not

    page.emit("input-event", { type: "mouseUp" });
    page.advance(GESTURE_WINDOW_MS + 1);
    page.windowOpen("https://learn.microsoft.com/later");
    expect(page.opened).toHaveLength(1); // a gesture long ago does not count

    page.emit("input-event", { type: "mouseUp" });
    page.windowOpen("https://learn.microsoft.com/one");
    page.windowOpen("https://learn.microsoft.com/two");
    expect(page.opened).toEqual(["https://learn.microsoft.com/entra/", "https://learn.microsoft.com/one"]); // one per gesture
  });
});

describe("session permissions", () => {
  it("denies every permission request and check, and every device", () => {
    const { session, installed } = createSessionFake();
    denyPermissions(session as unknown as Session);
    for (const permission of ["media", "geolocation", "notifications", "clipboard-read", "openExternal", "hid"]) {
      let granted: boolean | undefined;
      installed.request?.({}, permission, (answer) => (granted = answer), {});
      expect(granted, permission).toBe(false);
      expect(installed.check?.({}, permission, "app://provisiondesk", {}), permission).toBe(false);
    }
    expect(installed.device?.({ deviceType: "usb" })).toBe(false);
  });
});

/** Every string in a value, walked without recursion (JSON.stringify itself overflows at this depth). */
function stringsIn(value: unknown): string[] {
  const found: string[] = [];
  const seen = new Set<object>();
  for (const work = [value]; work.length > 0;) {
    const item = work.pop();
    if (typeof item === "string") found.push(item);
    else if (item && typeof item === "object" && !seen.has(item)) {
      seen.add(item);
      work.push(...Object.values(item));
    }
  }
  return found;
}

describe("redactSecrets", () => {
  it("redacts a secret nested far deeper than any fixed limit, without overflowing the stack", () => {
    let deep: Record<string, unknown> = { clientSecret: "s3cr3t", note: "Authorization: Bearer abcdefghijklmnop" };
    for (let i = 0; i < 100_000; i++) deep = { child: i % 2 ? deep : [deep] };
    expect(stringsIn(redactSecrets(deep))).toEqual(["Authorization: Bearer [redacted]", REDACTED]);
  });

  it("terminates on cycles and keeps shared objects shared", () => {
    const shared = { password: "hunter2" };
    const cyclic: Record<string, unknown> = { a: shared, b: shared };
    cyclic.self = cyclic;
    const out = redactSecrets(cyclic) as Record<string, unknown>;
    expect(out).not.toBe(cyclic);
    expect(out.self).toBe(out);
    expect(out.a).toBe(out.b);
    expect(out.a).toEqual({ password: REDACTED });
    expect(shared.password).toBe("hunter2"); // the input is never changed
  });
});
