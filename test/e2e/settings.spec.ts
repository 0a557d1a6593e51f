import { expect, step, test } from "./fixtures";

test("settings: an invalid interval is refused at its field; a lower deletion threshold stops the next cycle at the gate", async ({
  app: page,
}) => {
  await page.getByTestId("provision-now").click();
  await expect(page.getByTestId("run-result")).toHaveAttribute("data-outcome", "succeeded", { timeout: 120_000 });

  await page.getByTestId("nav-settings").click();
  await page.getByTestId("settings-interval").fill("2");
  const interval = page.locator('[data-path="schedule.intervalMinutes"]');
  await expect(interval.getByTestId("field-problem")).toBeVisible();
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("save-refused")).toContainText("schedule.intervalMinutes");
  await expect(interval.getByTestId("field-problem")).toBeVisible();
  await step(page, "settings-1-refused");
  await page.getByTestId("discard-changes").click();
  await expect(page.getByTestId("settings-interval")).toHaveValue("40");

  await page.getByTestId("settings-threshold").fill("1");
  // The canary gate (a source that suddenly returns under half of what it did) would stop this cycle first: off.
  await page.getByTestId("settings-canary").fill("0");
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("save-done")).toBeVisible();
  await step(page, "settings-2-threshold");

  // Narrow the scope to one small group: most provisioned users would now be disabled, more than the threshold.
  await page.getByTestId("nav-scope").click();
  await page.getByTestId("scope-mode-groups").check();
  await page.getByTestId("group-search").fill("Dept - Eng");
  await page.getByRole("button", { name: "Add Dept - Engineering" }).click();
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("save-done")).toBeVisible();

  await page.getByTestId("nav-dashboard").click();
  await page.getByTestId("provision-now").click();
  const result = page.getByTestId("run-result");
  await expect(result).toHaveAttribute("data-outcome", "stoppedByDeletionThreshold", { timeout: 120_000 });
  await step(page, "settings-3-stopped-at-gate");
});
