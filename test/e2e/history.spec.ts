// Run history and recovery from the Dashboard (issue 9): charts of the last cycles with their numbers as text, held
// deletions of a gate-stopped cycle opened from the Dashboard, and "Retry now" on an object held in escrow.
import type { Page } from "@playwright/test";
import { expect, narrowScopeToEngineering, scimUsers, step, test } from "./fixtures";

async function provisionNow(page: Page, outcome: string): Promise<void> {
  const result = page.getByTestId("run-result");
  const before = await page
    .getByTestId("cycles-table")
    .locator("tbody tr")
    .count()
    .catch(() => 0);
  await page.getByTestId("provision-now").click();
  await expect(page.getByTestId("cycles-table").locator("tbody tr")).toHaveCount(before + 1, { timeout: 120_000 });
  await expect(result).toHaveAttribute("data-outcome", outcome);
}

test("the Dashboard charts the cycles run, with the same numbers as text, in light and dark mode", async ({
  app: page,
  stack,
}) => {
  await expect(page.getByTestId("history-card")).toHaveCount(0);
  await provisionNow(page, "succeeded");
  const created = (await scimUsers(stack)).length;
  expect(created).toBeGreaterThan(0);
  // A dry run changes nothing, and is not charted as if it had.
  await page.getByTestId("dry-run").click();
  await expect(page.getByTestId("cycles-table").locator("tbody tr")).toHaveCount(2, { timeout: 120_000 });
  await provisionNow(page, "succeeded");

  const summary = page.getByTestId("history-summary");
  await expect(summary).toHaveAttribute("data-cycles", "2");
  await expect(summary).toHaveAttribute("data-failed", "0");
  // Users and groups created by the first cycle: at least every user the target now holds.
  const charted = Number(await summary.getAttribute("data-created"));
  expect(charted).toBeGreaterThanOrEqual(created);
  await expect(summary).toContainText(`Last 2 cycles: ${charted} created, 0 updated, 0 disabled, 0 deleted`);
  await expect(summary).toContainText("no failures");
  const card = page.getByTestId("history-card");
  await expect(card.locator("canvas")).toHaveCount(3);
  await card.getByText("The numbers behind the charts").click();
  await expect(page.getByTestId("history-table").locator("tbody tr")).toHaveCount(2);
  await expect(page.getByTestId("history-table").locator("tbody tr").last()).toContainText(String(charted));
  // Each y axis is as wide as its widest label (none clipped, none floating far from the plot); durations in one unit.
  for (const plot of await card.locator(".history-plot").all()) {
    const axis = await plot.evaluate((host) => {
      const labels: string[] = (host.getAttribute("data-y-labels") ?? "").split("|").filter(Boolean);
      const context = host.ownerDocument.createElement("canvas").getContext("2d")!;
      context.font = "12px system-ui, sans-serif";
      const widest = Math.max(...labels.map((label) => context.measureText(label).width as number));
      const plotArea = host.querySelector(".u-over") as { offsetLeft: number } | null;
      return { labels, widest, plotLeft: plotArea!.offsetLeft };
    });
    expect(axis.labels.length, "y axis labels").toBeGreaterThan(1);
    expect(axis.plotLeft - axis.widest, `room for ${axis.labels.join(", ")}`).toBeGreaterThanOrEqual(11);
    expect(axis.plotLeft - axis.widest, `room for ${axis.labels.join(", ")}`).toBeLessThan(24);
  }
  const durations = (await card.locator(".history-plot").nth(1).getAttribute("data-y-labels"))!.split("|");
  expect(new Set(durations.map((label) => label.split(" ")[1])).size, durations.join(", ")).toBe(1);
  await card.scrollIntoViewIfNeeded();
  await step(page, "history-1-charts-light");

  await page.emulateMedia({ colorScheme: "dark" });
  await expect(card.locator("canvas")).toHaveCount(3);
  await step(page, "history-2-charts-dark");
});

test("a cycle stopped at the deletion threshold says so on the Dashboard, which opens its held deletions to allow once", async ({
  app: page,
  stack,
}) => {
  await provisionNow(page, "succeeded");
  await page.getByTestId("nav-settings").click();
  await page.getByTestId("settings-threshold").fill("1");
  // The canary (a source that suddenly returns under half of what it did) would stop this cycle first: off.
  await page.getByTestId("settings-canary").fill("0");
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("save-done")).toBeVisible();
  // Narrow the scope to one small group: most provisioned users would now be disabled, more than the threshold.
  await narrowScopeToEngineering(page);

  await page.getByTestId("nav-dashboard").click();
  await provisionNow(page, "stoppedByDeletionThreshold");
  const gate = page.getByTestId("gate-stop");
  await expect(gate).toContainText("stopped at the deletion threshold");
  // Nothing was deleted: the cycle's summary says its deletions were held back.
  await expect(page.getByTestId("run-result")).toContainText(/\d+ deletions held back/);
  await expect(page.getByTestId("run-result")).not.toContainText("deleted");
  const activeBefore = (await scimUsers(stack)).filter((u) => u.active !== false).length;
  await step(page, "history-3-stopped-at-threshold");
  await page.emulateMedia({ colorScheme: "dark" });
  await step(page, "history-3-stopped-at-threshold-dark");
  await page.emulateMedia({ colorScheme: "light" });

  await gate.getByTestId("review-held-deletions").click();
  await expect(page.getByRole("heading", { level: 1, name: "Preview changes" })).toBeVisible();
  const held = page.getByTestId("plan-item").and(page.locator('[data-kind="heldDelete"]'));
  // The stored plan loads after the heading: count its items once they are there.
  await expect(held.first()).toBeVisible();
  const heldCount = await held.count();
  expect(heldCount).toBeGreaterThan(1);
  await expect(held.first()).toHaveAttribute("data-approved", "false");
  await step(page, "history-4-held-deletions");
  // The plan saves as a file (the shared save helper: a download here, a save dialog in the app).
  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/^provisiondesk-plan-\d+\.csv$/);
  await page.getByRole("button", { name: "Allow these once" }).click();
  await expect(held.and(page.locator('[data-approved="true"]'))).toHaveCount(heldCount);
  await page.getByTestId("plan-apply").click();
  await expect(page.getByTestId("plan-applied")).toBeVisible({ timeout: 120_000 });
  const heldUsers = await page.locator('[data-testid="plan-item"][data-kind="heldDelete"]').count();
  expect(heldUsers).toBe(0);
  // The held users are disabled in the target now (groups held back are deleted, not counted here).
  const activeAfter = (await scimUsers(stack)).filter((u) => u.active !== false).length;
  expect(activeAfter).toBeLessThan(activeBefore);

  // The stop is history now: the Dashboard no longer offers its held deletions, and charts the disables.
  await page.getByTestId("nav-dashboard").click();
  await expect(page.getByTestId("gate-stop")).toHaveCount(0);
  const summary = page.getByTestId("history-summary");
  await expect(summary).toHaveAttribute("data-cycles", "3");
  expect(Number(await summary.getAttribute("data-disabled"))).toBe(activeBefore - activeAfter);
});

test("after a canary stop, Preview what would go lists the disables; applied, the next cycle runs", async ({
  app: page,
  stack,
}) => {
  await provisionNow(page, "succeeded");
  // Narrow the scope to one small group: far fewer users in scope than last cycle, which the canary stops.
  await narrowScopeToEngineering(page);
  await page.getByTestId("nav-dashboard").click();
  await provisionNow(page, "stoppedByCanary");
  const gate = page.getByTestId("gate-stop");
  await expect(gate).toContainText("far fewer users and groups");
  // The status (also the tray's tooltip and the CLI's status) names the way out, not a full cycle the canary would stop.
  await expect(page.getByTestId("status-message")).toContainText("Preview what would go");
  const activeBefore = (await scimUsers(stack)).filter((u) => u.active !== false).length;
  await step(page, "history-7-stopped-by-canary");

  await gate.getByTestId("preview-past-canary").click();
  await expect(page.getByRole("heading", { level: 1, name: "Preview changes" })).toBeVisible({ timeout: 120_000 });
  const disables = page.locator('[data-testid="plan-item"][data-kind="disable"]');
  await expect(disables.first()).toBeVisible();
  const disableCount = await disables.count();
  expect(disableCount).toBeGreaterThan(1);
  expect((await scimUsers(stack)).filter((u) => u.active !== false)).toHaveLength(activeBefore); // a preview only
  await step(page, "history-8-past-canary-preview");
  await page.getByTestId("plan-apply").click();
  await expect(page.getByTestId("plan-applied")).toBeVisible({ timeout: 120_000 });
  expect((await scimUsers(stack)).filter((u) => u.active !== false)).toHaveLength(activeBefore - disableCount);

  await page.getByTestId("nav-dashboard").click();
  await provisionNow(page, "succeeded");
  await expect(page.getByTestId("gate-stop")).toHaveCount(0);
});

test.describe("a target that refuses the first create", () => {
  test.use({
    stackEnv: { E2E_TARGET_FAULTS: JSON.stringify({ match: "^POST /Users$", errorNext: 1, errorStatus: 500 }) },
  });

  test("the refused user is held in escrow; Retry now on it runs a cycle that creates it", async ({
    app: page,
    stack,
  }) => {
    await provisionNow(page, "completedWithFailures");
    const item = page.getByTestId("escrow-item");
    await expect(item).toHaveCount(1);
    const name = (await item.locator("th").textContent())!.replace(/\s*\(user\)$/, "");
    const created = (await scimUsers(stack)).length;
    await expect(page.getByTestId("history-summary")).toHaveAttribute("data-failed", "1");
    await step(page, "history-5-escrow");

    await item.getByTestId("escrow-retry").click();
    const retried = page.getByTestId("escrow-retried");
    await expect(retried).toContainText(`tried ${name}`, { timeout: 120_000 });
    await expect(retried).toContainText("It is no longer held.");
    await expect(item).toHaveCount(0);
    expect((await scimUsers(stack)).length).toBe(created + 1);
    await expect(page.getByTestId("history-summary")).toHaveAttribute("data-cycles", "2");
    await step(page, "history-6-escrow-retried");
  });
});
