import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, narrowScopeToEngineering, scimUsers, step, test } from "./fixtures";

test("settings: an invalid interval is refused at its field; a lower deletion threshold stops the next cycle at the gate; Preview allows the held disables once", async ({
  app: page,
  stack,
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
  await page.getByTestId("settings-retention").fill("90");
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("save-done")).toBeVisible();
  await step(page, "settings-2-threshold");
  // Saved in the profile, not just in the window: a reload shows the stored values.
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-app-ready", "true");
  await page.getByTestId("nav-settings").click();
  await expect(page.getByTestId("settings-retention")).toHaveValue("90");
  await expect(page.getByTestId("settings-threshold")).toHaveValue("1");

  // Narrow the scope to one small group: most provisioned users would now be disabled, more than the threshold.
  await narrowScopeToEngineering(page);

  await page.getByTestId("nav-dashboard").click();
  await page.getByTestId("provision-now").click();
  const result = page.getByTestId("run-result");
  await expect(result).toHaveAttribute("data-outcome", "stoppedByDeletionThreshold", { timeout: 120_000 });
  await step(page, "settings-3-stopped-at-gate");
  const before = await scimUsers(stack);
  expect(before.every((u) => u.active !== false)).toBe(true);

  // Preview offers the stopped cycle's held disables; "Allow these once" approves them, Apply disables exactly those.
  await page.getByTestId("nav-preview").click();
  await expect(page.getByTestId("plan-held-notice")).toContainText("stopped at the deletion threshold");
  await step(page, "settings-4-held-notice");
  await page.getByTestId("plan-held-open").click();
  const held = page.locator('[data-testid="plan-item"][data-kind="heldDelete"]');
  await expect(held.first()).toBeVisible({ timeout: 60_000 });
  await expect(held.first()).toHaveAttribute("data-approved", "false");
  const heldUsers = await page
    .locator('[data-testid="plan-item"][data-kind="heldDelete"][data-object="user"] strong')
    .allTextContents();
  expect(heldUsers.length).toBeGreaterThan(1);
  // The link remembers Entra's "True" string; it reads as the boolean the engine compares, like the new value.
  for (const item of await held.and(page.locator('[data-object="user"]')).all())
    await expect(item.locator(".value-list li")).toHaveText("active: true → false");
  await page.getByRole("button", { name: "Allow these once" }).click();
  for (const item of await held.all()) await expect(item).toHaveAttribute("data-approved", "true");
  await step(page, "settings-5-held-allowed");
  await page.getByTestId("plan-apply").click();
  await expect(page.getByTestId("plan-applied")).toBeVisible({ timeout: 120_000 });

  // The profile disables users that leave scope: the held ones are inactive now, everyone else still active.
  const after = await scimUsers(stack);
  expect(
    after
      .filter((u) => u.active === false)
      .map((u) => u.displayName)
      .sort(),
  ).toEqual([...heldUsers].sort());
  expect(after).toHaveLength(before.length);

  // They were allowed once and are done: the next cycle is not stopped for them again.
  await page.getByTestId("nav-dashboard").click();
  await page.getByTestId("provision-now").click();
  await expect(result).toContainText("No changes", { timeout: 120_000 });
  await expect(result).toHaveAttribute("data-outcome", "succeeded");

  // The log's detail reads a disable as Preview does: true → false, in whatever case the target wrote "True".
  await page.getByTestId("nav-log").click();
  await page.getByLabel("Action").selectOption("Disable");
  await page.getByTestId("log-row").first().click();
  const active = page.getByTestId("log-detail").locator("tr", { hasText: "active" });
  await expect(active.locator(".old-value")).toHaveText("true");
  await expect(active.locator(".new-value")).toHaveText("false");
});

test("a save based on an old revision is refused and shows what changed since (a config import from a script)", async ({
  app: page,
  stack,
}) => {
  await page.getByTestId("nav-settings").click();
  await page.getByTestId("settings-threshold").fill("50");

  // Meanwhile a script imports the profile with another interval.
  const cli = (...args: string[]) =>
    execFileSync(
      process.execPath,
      ["electron/cli/provision-desk.js", "--data-dir", stack.dataDir, "--profile", "e2e", ...args],
      {
        stdio: "pipe",
      },
    );
  const file = join(stack.dataDir, "edited.json");
  cli("config", "export", file);
  const profile = JSON.parse(readFileSync(file, "utf8")) as { schedule: { intervalMinutes: number } };
  profile.schedule.intervalMinutes = 55;
  writeFileSync(file, JSON.stringify(profile));
  cli("config", "import", file);

  await page.getByTestId("save-profile").click();
  const conflict = page.getByTestId("save-conflict");
  await expect(conflict).toBeVisible();
  await expect(conflict.getByTestId("changes-table")).toContainText("schedule.intervalMinutes");
  await expect(conflict.getByTestId("changes-table")).toContainText("55");
  await step(page, "settings-4-conflict");
  await conflict.getByRole("button", { name: /Load the stored profile/ }).click();
  await expect(page.getByTestId("settings-interval")).toHaveValue("55");
  await expect(page.getByTestId("settings-threshold")).toHaveValue("500");
});
