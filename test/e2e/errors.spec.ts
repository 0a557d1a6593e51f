import { expect, screenshot, test } from "./fixtures";

test.use({ stackEnv: { E2E_WRONG_SCIM_TOKEN: "1" } });

test("a refused SCIM token is explained where the admin looks, with the technical detail one click away", async ({
  app: page,
  stack,
}) => {
  await page.getByTestId("nav-connections").click();
  await page.getByTestId("test-connection").click();
  await expect(page.getByTestId("connection-checks")).toContainText("Some checks failed");
  const failed = page.locator('[data-testid="connection-check"][data-ok="false"]');
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText("401");
  await failed.getByRole("button", { name: "Details" }).click();
  await expect(failed.locator("pre")).toBeVisible();
  await expect(page.locator('[data-testid="connection-check"][data-ok="true"]').first()).toContainText("Entra ID");
  await screenshot(page, "7-connections-refused-token");

  await page.getByTestId("nav-dashboard").click();
  await page.getByTestId("provision-now").click();
  const result = page.getByTestId("run-result");
  await expect(result).toBeVisible({ timeout: 120_000 });
  await expect(result).not.toHaveAttribute("data-outcome", "succeeded");
  await expect(result).toContainText("stopped before it finished");
  // A refused token quarantines provisioning: the panel with Retry now explains it, the result points there.
  await expect(result.getByTestId("quarantine-pointer")).toBeVisible();
  await expect(page.getByTestId("quarantine-reason")).toContainText("Generate a new SCIM token");
  await expect(page.getByTestId("status-card").getByTestId("status-badge")).toHaveAttribute("data-status", "error");
  await screenshot(page, "8-dashboard-refused-token");

  // The fix the message asks for: paste the right token under Connections → Target; it is tested before it is stored.
  await page.getByTestId("nav-connections").click();
  await page.getByTestId("target-token").fill("still-not-the-token");
  await page.getByTestId("target-test").click();
  await expect(page.getByTestId("target-checks")).toContainText("Some checks failed");
  await expect(page.getByTestId("target-checks")).toContainText("401");
  await expect(page.getByTestId("target-store-anyway")).toBeVisible();
  await page.getByTestId("target-token").fill(stack.scimToken);
  await screenshot(page, "9-connections-replace-token");
  await page.getByTestId("target-test").click();
  await expect(page.getByTestId("target-checks")).toContainText("All checks passed");
  await expect(page.getByTestId("target-card")).toContainText("Secret token stored");
  await expect(page.getByTestId("target-token")).toHaveValue("");
  await expect(page.locator("body")).not.toContainText(stack.scimToken);
  await page.getByTestId("test-connection").click();
  await expect(page.getByTestId("connection-checks")).toContainText("All checks passed");

  await page.getByTestId("nav-dashboard").click();
  await page.getByTestId("provision-now").click();
  await expect(page.getByTestId("run-result")).toHaveAttribute("data-outcome", "succeeded", { timeout: 120_000 });
});
