import { expect, step, test } from "./fixtures";

test("an admin visits every section, provisions, and sees the result in the Log and the Target", async ({
  app: page,
  stack,
}) => {
  const nav = (name: string) =>
    page.getByRole("navigation", { name: "Sections" }).getByTestId(`nav-${name.toLowerCase()}`);

  // Dashboard: real status from the engine, nothing run yet.
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.getByTestId("status-badge").first()).toBeVisible();
  await expect(page.getByTestId("schedule-card")).toContainText("e2e");
  await step(page, "1-dashboard-before");

  // Connections: the profile without secrets, secret presence, and a live connection test.
  await nav("Connections").click();
  await expect(page.getByTestId("source-card")).toContainText("Client secret stored");
  await expect(page.getByTestId("target-url")).toHaveValue(/\/scim\/v1$/);
  await expect(page.getByTestId("target-card")).toContainText("Secret token stored");
  await expect(page.locator("body")).not.toContainText(stack.scimToken);
  await page.getByTestId("test-connection").click();
  await expect(page.getByTestId("connection-check").first()).toBeVisible();
  await expect(page.getByTestId("connection-checks")).toContainText("All checks passed");
  await step(page, "2-connections");

  // Mappings: the active Splashtop mappings, validated.
  await nav("Mappings").click();
  await expect(page.getByTestId("users-mappings").getByTestId("mapping-table")).toContainText("userName");
  await expect(page.getByTestId("groups-mappings").getByTestId("mapping-table")).toContainText("displayName");
  await expect(page.getByTestId("mapping-problems")).toBeVisible();
  await step(page, "3-mappings");

  // Log and Target before provisioning: empty, and saying so.
  await nav("Log").click();
  await expect(page.getByText("Nothing has been provisioned yet")).toBeVisible();
  await nav("Target").click();
  await expect(page.getByTestId("target-totals")).toContainText("0 users");

  // A dry run previews the changes without touching the target.
  await nav("Dashboard").click();
  await page.getByTestId("dry-run").click();
  const preview = page.getByTestId("run-result");
  await expect(preview).toContainText("Dry run finished: nothing was changed in the target", { timeout: 120_000 });
  await expect(preview).toContainText("users created");
  await nav("Target").click();
  await expect(page.getByTestId("target-totals")).toContainText("0 users");

  // Provision now and wait for the cycle to finish (the run result appears when the engine answers).
  await nav("Dashboard").click();
  await page.getByTestId("provision-now").click();
  const result = page.getByTestId("run-result");
  await expect(result).toContainText("Provisioning finished", { timeout: 120_000 });
  await expect(result).toHaveAttribute("data-outcome", "succeeded");
  await expect(result).toContainText("users created");
  await expect(page.getByTestId("cycles-table")).toContainText("Succeeded");
  await step(page, "4-dashboard-after");

  // Log: the created users arrived live (log.entry events; the list is not re-read), so the nav counts them as new.
  await expect(page.getByTestId("nav-log")).toContainText(/\d+/);
  await nav("Log").click();
  const created = page
    .getByTestId("log-row")
    .and(page.locator('[data-action="Create"][data-status="Success"][data-object="user"]'));
  await expect(created.first()).toBeVisible();
  expect(await created.count()).toBeGreaterThan(1);
  await created.first().click();
  const detail = page.getByTestId("log-detail").first();
  await expect(detail).toContainText("Modified properties");
  await expect(detail).toContainText("userName");
  await step(page, "5-log");

  // Target: what the SCIM app now holds.
  await nav("Target").click();
  await expect(page.getByTestId("target-user").first()).toBeVisible();
  expect(await page.getByTestId("target-user").count()).toBeGreaterThan(1);
  await expect(page.getByTestId("target-totals")).not.toContainText(/^0 users/);
  await step(page, "6-target");

  // Mappings → Test with a user: a provisioned user read live from Entra ID, with the value of every mapped attribute.
  const userName = (await page.getByTestId("target-user").first().locator("td").first().innerText()).trim();
  await nav("Mappings").click();
  await page.getByTestId("rules-test-user").fill(userName);
  await page.getByTestId("rules-test-run").click();
  const tested = page.getByTestId("rules-test-result");
  await expect(tested).toContainText("In scope");
  await expect(tested).toContainText(`“${userName}”`);
  await expect(tested).toContainText("Contoso E2E SSO");
  await expect(tested).toContainText("This user would be provisioned.");
  await step(page, "7-mappings-test-user");

  // The launch token left the address bar; a reload still works (cookie for the page, sessionStorage for the socket),
  // while anyone without the token is turned away.
  await expect(page).not.toHaveURL(/token=/);
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-app-ready", "true");
  await expect(page.getByTestId("cycles-table")).toContainText("Succeeded");
  expect((await fetch(new URL(stack.url).origin)).status).toBe(401);
});
