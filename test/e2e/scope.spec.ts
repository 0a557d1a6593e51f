import { expect, scimUsers, step, test } from "./fixtures";

test("scope picker: two picked groups; the draft's count is what the next cycle creates", async ({
  app: page,
  stack,
}) => {
  await page.getByTestId("nav-scope").click();
  await expect(page.getByTestId("scope-assignments")).toContainText("managed in Entra");
  const count = page.getByTestId("scope-preview-count");
  await expect(count).toHaveAttribute("data-count", /\d+/);
  const assigned = await count.getAttribute("data-count");
  await step(page, "scope-1-assigned");

  await page.getByTestId("scope-mode-groups").check();
  // Every group is listed with its member count before anything is typed; the search narrows it.
  await expect(page.getByTestId("group-result").first()).toContainText("member");
  await page.getByTestId("group-search").fill("Dept");
  await expect(page.getByTestId("group-result").first()).toContainText("Dept");
  for (const name of ["Dept - Sales", "Prism Team 2"]) {
    await page.getByTestId("group-search").fill(name.slice(0, 6));
    await page.getByRole("button", { name: `Add ${name}` }).click();
  }
  await expect(page.getByTestId("picked-groups").getByRole("listitem")).toHaveCount(2);
  await expect(count).not.toHaveAttribute("data-count", assigned ?? "");
  await expect(page.getByTestId("scope-preview")).not.toHaveAttribute("aria-busy", "true");
  const picked = Number(await count.getAttribute("data-count"));
  expect(picked).toBeGreaterThan(0);
  await step(page, "scope-2-picked-groups");

  await page.getByTestId("review-changes").click();
  await expect(page.getByTestId("changes-table")).toContainText("source.scope");
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("save-done")).toBeVisible();
  await step(page, "scope-3-saved");

  await page.getByTestId("nav-dashboard").click();
  await page.getByTestId("provision-now").click();
  await expect(page.getByTestId("run-result")).toHaveAttribute("data-outcome", "succeeded", { timeout: 120_000 });
  expect(await scimUsers(stack)).toHaveLength(picked);
});

test("test with a user: an unassigned user is out of scope with the reason; an unknown one is not found", async ({
  app: page,
  stack,
}) => {
  expect(stack.unassignedUser).toBeTruthy();
  await page.getByTestId("nav-scope").click();
  await page.getByTestId("rules-test-user").fill(stack.unassignedUser ?? "");
  await page.getByTestId("rules-test-run").click();
  const result = page.getByTestId("rules-test-result");
  await expect(result).toHaveAttribute("data-in-scope", "false");
  await expect(result).toContainText("Out of scope");
  await expect(page.getByTestId("scope-steps")).toContainText(/assign/i);
  await expect(result).toContainText("This user would not be provisioned.");
  await step(page, "test-user-1-out-of-scope");

  await page.getByTestId("rules-test-user").fill("nobody.here@contoso.com");
  await page.getByTestId("rules-test-run").click();
  const notice = page.getByTestId("rules-tester").getByTestId("error-notice");
  await expect(notice).toHaveAttribute("data-error-code", "NOT_FOUND");
  await expect(notice).toContainText(/not found/i);
  await step(page, "test-user-2-not-found");
});
