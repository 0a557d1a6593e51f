// Run history and recovery from the Dashboard (issue 9): charts of the last cycles with their numbers as text, held
// deletions of a gate-stopped cycle opened from the Dashboard, and "Retry now" on an object held in escrow.
import type { Page } from "@playwright/test";
import { expect, scimUsers, step, test } from "./fixtures";

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
  await card.scrollIntoViewIfNeeded();
  await step(page, "history-1-charts-light");

  await page.emulateMedia({ colorScheme: "dark" });
  await expect(card.locator("canvas")).toHaveCount(3);
  await step(page, "history-2-charts-dark");
});
