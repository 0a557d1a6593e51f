import type { Page } from "@playwright/test";
import { expect, scimUsers, step, test } from "./fixtures";

/** Replaces the expression editor's text by typing, as an admin does (CodeMirror closes brackets and quotes itself). */
async function typeExpression(page: Page, text: string) {
  const input = page.getByTestId("expression-input");
  await input.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  await page.keyboard.type(text);
  await page.keyboard.press("Escape");
}

test("mapping editor: displayName as an expression, an error at its position, the live value, and the next cycle sends it", async ({
  app: page,
  stack,
}) => {
  await page.getByTestId("nav-mappings").click();
  await page.getByTestId("customize-mappings").click();

  // The user whose values are shown live: one the next cycle provisions.
  const user = stack.assignedUser;
  if (!user) throw new Error("The e2e tenant has no assigned user with both names");
  const expected = `${user.surname}, ${user.givenName}`;
  await page.getByTestId("user-search").fill(user.userPrincipalName.split("@")[0] ?? "");
  await page.getByTestId("user-pick").first().click();
  await expect(page.getByTestId("picked-user")).toContainText(user.userPrincipalName);

  const row = page.getByTestId("users-mappings").locator('[data-testid="mapping-row"][data-target="displayName"]');
  await row.getByTestId("mapping-edit").click();
  const editor = page.getByTestId("mapping-row-editor");
  await editor.getByTestId("mapping-type").selectOption("Expression");

  // A missing comma: the engine's parser names the position, and the editor marks it there.
  const broken = 'Join(", ", [surname] [givenName])';
  await typeExpression(page, broken);
  const error = editor.getByTestId("expression-error");
  await expect(error).toBeVisible();
  const offset = Number(await error.getAttribute("data-offset"));
  expect(offset).toBeGreaterThan(broken.indexOf("[surname]"));
  expect(offset).toBeLessThanOrEqual(broken.indexOf("[givenName]"));
  await expect(editor.locator(".cm-lintRange-error")).toBeVisible();
  await step(page, "mappings-1-expression-error");

  await typeExpression(page, 'Join(", ", [surname], [givenName])');
  await expect(editor.getByTestId("expression-value")).toContainText(JSON.stringify(expected));
  await expect(editor.getByTestId("expression-error")).toHaveCount(0);
  // Completion offers the language's functions with their help.
  await page.getByTestId("expression-input").click();
  await page.keyboard.press("End");
  await page.keyboard.type(" & ToUp");
  await expect(editor.locator(".cm-tooltip-autocomplete")).toContainText("ToUpper");
  await step(page, "mappings-2-expression-value");
  await typeExpression(page, 'Join(", ", [surname], [givenName])');
  await expect(editor.getByTestId("expression-value")).toContainText(JSON.stringify(expected));

  await page.getByTestId("review-changes").click();
  await expect(page.getByTestId("changes-table")).toContainText("displayName");
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("save-done")).toBeVisible();

  await page.getByTestId("nav-dashboard").click();
  await page.getByTestId("provision-now").click();
  await expect(page.getByTestId("run-result")).toHaveAttribute("data-outcome", "succeeded", { timeout: 120_000 });
  const users = await scimUsers(stack);
  expect(users.find((scim) => scim.userName === user.userPrincipalName)?.displayName).toBe(expected);
});

test("scoping filter builder: a clause on department lowers the live count; after a cycle only matching users are there; a dangerous regex is refused at its field while the stored profile keeps running", async ({
  app: page,
  stack,
}) => {
  await page.getByTestId("nav-mappings").click();
  await page.getByTestId("customize-mappings").click();
  const count = page.getByTestId("filter-preview-count");
  await expect(count).toHaveAttribute("data-count", /\d+/);
  const before = Number(await count.getAttribute("data-count"));

  const filters = page.getByTestId("users-filters");
  await page.getByTestId("users-add-filter").click();
  await filters.getByTestId("clause-attribute").fill("department");
  await filters.getByTestId("clause-operator").selectOption("EQUALS");
  await filters.getByTestId("clause-value").fill("Support");
  await expect(count).not.toHaveAttribute("data-count", String(before));
  await expect(page.getByTestId("filter-preview")).not.toHaveAttribute("aria-busy", "true");
  const matching = Number(await count.getAttribute("data-count"));
  expect(matching).toBeGreaterThan(0);
  expect(matching).toBeLessThan(before);
  await step(page, "filters-1-department");

  // A regex that can backtrack for ever is refused by the engine, at its clause; nothing is stored.
  await filters.getByTestId("add-clause").click();
  const second = filters.getByTestId("filter-clause").nth(1);
  await second.getByTestId("clause-attribute").fill("jobTitle");
  await second.getByTestId("clause-operator").selectOption("REGEX_MATCH");
  await second.getByTestId("clause-value").fill("(a+)+$");
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("save-refused")).toBeVisible();
  await expect(second.getByTestId("field-problem")).toBeVisible();
  await step(page, "filters-2-refused-regex");

  // The stored profile (no filter) still runs: a dry run previews every assigned user.
  await page.getByTestId("nav-dashboard").click();
  await page.getByTestId("dry-run").click();
  await expect(page.getByTestId("run-result")).toContainText(`${before} users created`, { timeout: 120_000 });

  await page.getByTestId("nav-mappings").click();
  await page.getByTestId("users-filters").getByRole("button", { name: "Remove clause 2 of filter group 1" }).click();
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("save-done")).toBeVisible();
  await page.getByTestId("nav-dashboard").click();
  await page.getByTestId("provision-now").click();
  await expect(page.getByTestId("run-result")).toHaveAttribute("data-outcome", "succeeded", { timeout: 120_000 });
  expect(await scimUsers(stack)).toHaveLength(matching);
});
