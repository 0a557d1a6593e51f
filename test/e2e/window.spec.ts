import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, parseCsv, screenshot, test } from "./fixtures";

/** Serious and critical axe violations, as "rule: target" lines (empty when the page passes). */
async function axeProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")} ${n.failureSummary ?? ""}`));
}

/** Every section of the navigation, with the start of its page title. */
const SECTIONS = [
  ["dashboard", "Dashboard"],
  ["connections", "Connections"],
  ["scope", "Scope"],
  ["mappings", "Mappings"],
  ["settings", "Settings"],
  ["profiles", "Profiles"],
  ["log", "Log"],
  ["target", "Target"],
  ["preview", "Preview changes"],
  ["provision", "Provision on demand"],
] as const;

/** Waits until the section has loaded what it shows: nothing says "Loading…" and nothing is busy. */
async function settled(page: Page) {
  await expect(page.getByRole("status").filter({ hasText: /^Loading .*…$/ })).toHaveCount(0);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

async function firstCycle(page: Page) {
  await page.getByTestId("provision-now").click();
  await expect(page.getByTestId("run-result")).toHaveAttribute("data-outcome", "succeeded", { timeout: 120_000 });
}

test("light and dark, keyboard and zoom: no serious axe violation, one tab stop for the log, focus comes back", async ({
  app: page,
}) => {
  // The skip link is the first tab stop and lands in the content: Tab from the start of a page that has rendered.
  await expect(page.getByTestId("provision-now")).toBeVisible();
  await page
    .locator("body")
    .evaluate((body) => (body.ownerDocument.activeElement as { blur?: () => void } | null)?.blur?.());
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("#main-content")).toBeFocused();

  // The first cycle through Preview, with one create left out: every later preview has a plan to show.
  await page.getByTestId("nav-preview").click();
  await page.getByTestId("plan-preview").click();
  const creates = page.locator('[data-testid="plan-item"][data-kind="create"]');
  await expect(creates.first()).toBeVisible({ timeout: 60_000 });
  await creates.first().getByRole("checkbox").uncheck();
  await page.getByTestId("plan-apply").click();
  await expect(page.getByTestId("plan-applied")).toBeVisible({ timeout: 120_000 });
  await page.getByTestId("nav-dashboard").click();
  await expect(page).toHaveTitle("Dashboard · Ready — ProvisionDesk");

  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const check = async (name: string) => {
      await settled(page);
      expect(await axeProblems(page), `${name}, ${scheme}`).toEqual([]);
      await screenshot(page, `window-${name}-${scheme}`);
    };
    for (const [id, title] of SECTIONS) {
      await page.getByTestId(`nav-${id}`).click();
      await expect(page).toHaveTitle(new RegExp(`^${title} · `));
      if (id === "dashboard") {
        const background = await page
          .locator("html")
          .evaluate((html) => html.computedStyleMap().get("background-color")?.toString());
        // The page follows the system: the light page colour only in light mode.
        expect(background === "rgb(244, 246, 249)").toBe(scheme === "light");
      }
      if (id === "provision") {
        await page.getByTestId("provision-search").fill("a");
        await expect(page.getByTestId("provision-user").first()).toBeVisible();
      }
      if (id === "preview") {
        await page.getByTestId("plan-preview").click();
        await expect(page.getByTestId("plan-item").first()).toBeVisible({ timeout: 60_000 });
      }
      if (id === "log") {
        await page.getByTestId("log-row").first().click();
        await expect(page.getByTestId("log-detail")).toBeVisible();
        // The detail panel fits its column: long addresses and ids wrap instead of running past its edge.
        const overflow = await page
          .locator(".log-detail-panel")
          .evaluate((panel) => panel.scrollWidth - panel.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
      }
      await check(id);
      if (id === "log") await page.getByRole("button", { name: "Close" }).click();
    }
    // Setup, as "New profile" opens it; a reload leaves it (nothing was saved).
    await page.getByTestId("nav-profiles").click();
    await page.getByTestId("profile-new").click();
    await expect(page.getByTestId("setup-step-source")).toBeVisible();
    await check("setup");
    await page.reload();
    await expect(page.locator("body")).toHaveAttribute("data-app-ready", "true");
  }

  // A theme chosen in the window wins over the system's (Settings calls the same store).
  await page.evaluate('localStorage.setItem("provisionDesk.theme", "light")');
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await page.emulateMedia({ colorScheme: null });

  // The log list is one tab stop: arrows move inside it, Tab leaves it.
  await page.getByTestId("nav-log").click();
  const rows = page.getByTestId("log-row");
  await expect(rows.first()).toBeVisible();
  await rows.first().focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const third = rows.nth(2);
  await expect(third).toBeFocused();
  expect(await page.locator('[data-testid="log-row"][tabindex="0"]').count()).toBe(1);
  const thirdName = (await third.locator(".log-name").textContent()) ?? "";
  await page.keyboard.press("Enter");
  const panel = page.getByRole("region", { name: `Details: ${thirdName}` });
  await expect(panel).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(third).toBeFocused();
  await page.keyboard.press("End");
  await expect(page.locator('[data-testid="log-row"]:focus')).toHaveAttribute("aria-posinset", /\d+/);
  await page.keyboard.press("Tab");
  await expect(page.locator('[data-testid="log-row"]:focus')).toHaveCount(0);

  // 200% zoom of a 1366×900 window: nothing is wider than the window, the columns wrap instead.
  await page.setViewportSize({ width: 683, height: 450 });
  for (const section of ["dashboard", "log"]) {
    await page.getByTestId(`nav-${section}`).click();
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, `window-${section}-zoom200`);
  }
});

test("recent cycles open the log filtered to their cycle; Restart explains itself before it runs", async ({
  app: page,
}) => {
  await firstCycle(page);
  await page.getByTestId("provision-now").click();
  await expect(page.getByTestId("cycles-table").locator("tbody tr")).toHaveCount(2, { timeout: 120_000 });

  const first = page.getByTestId("cycle-log-link").last();
  const cycleId = await first.textContent();
  await first.click();
  await expect(page.getByRole("spinbutton", { name: "Cycle" })).toHaveValue(cycleId!);
  await expect(page.getByText(/matching entr(y|ies)$/)).toBeVisible();
  const rows = page.getByTestId("log-row");
  await expect(rows.first()).toBeVisible();
  await rows.first().click();
  await expect(page.getByTestId("log-detail")).toContainText(`Cycle${cycleId}`);

  await page.getByTestId("nav-dashboard").click();
  const restart = page.getByTestId("restart");
  await restart.click();
  const dialog = page.getByTestId("restart-dialog");
  await expect(dialog).toContainText("keeps the links");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await screenshot(page, "window-restart-confirm");
  await page.keyboard.press("Escape");
  await expect(dialog).not.toBeVisible();
  await expect(restart).toBeFocused();
  await restart.click();
  await dialog.getByTestId("restart-confirm").click();
  await expect(dialog).not.toBeVisible();
  await expect(page.getByTestId("error-notice")).toHaveCount(0);
});

test("Preview: two rejected creates are not applied, everything else planned is", async ({ app: page, stack }) => {
  await page.getByTestId("nav-preview").click();
  await page.getByTestId("plan-preview").click();
  const creates = page.locator('[data-testid="plan-item"][data-kind="create"]');
  await expect(creates.first()).toBeVisible({ timeout: 60_000 });
  const planned = await creates.locator("strong").allTextContents();
  expect(planned.length).toBeGreaterThan(4);
  const rejected = [creates.nth(1), creates.nth(3)];
  const rejectedNames: string[] = [];
  for (const item of rejected) {
    rejectedNames.push((await item.locator("strong").textContent())!);
    await item.getByRole("checkbox").uncheck();
    await expect(item).toHaveAttribute("data-approved", "false");
  }
  expect(await axeProblems(page)).toEqual([]);
  await screenshot(page, "window-preview");

  // The plan as CSV: every item of the plan, one row per attribute change, approved or not.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^provisiondesk-plan-\d+\.csv$/);
  const [header, ...rows] = parseCsv(readFileSync((await download.path())!, "utf8"));
  const at = (name: string) => header!.indexOf(name);
  expect(new Set(rows.map((r) => r[at("item id")])).size).toBe(await page.getByTestId("plan-item").count());
  const csvCreates = new Map(rows.filter((r) => r[at("action")] === "create").map((r) => [r[at("item id")], r]));
  expect([...csvCreates.values()].map((r) => r[at("display name")]).sort()).toEqual([...planned].sort());
  await page.getByTestId("plan-apply").click();
  await expect(page.getByTestId("plan-applied")).toBeVisible({ timeout: 120_000 });

  // The target holds exactly the planned users and groups but the two rejected ones.
  const scim = async (resource: "Users" | "Groups") => {
    const response = await fetch(`${stack.scimUrl}/${resource}?count=1000`, {
      headers: { Authorization: `Bearer ${stack.scimToken}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { Resources: { displayName: string }[] }).Resources.map((r) => r.displayName);
  };
  const held = [...(await scim("Users")), ...(await scim("Groups"))].sort();
  const expected = [...planned];
  for (const name of rejectedNames) expected.splice(expected.indexOf(name), 1);
  expect(held).toEqual(expected.sort());
});
