import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, step, test } from "./fixtures";
import type { Page } from "@playwright/test";
import type { Stack } from "./fixtures";

/** Setup of an additional profile (named "default" by the template), connections tested on the way. */
async function setUpAnother(page: Page, stack: Stack) {
  await page.getByTestId("source-tenant").fill(stack.source.tenantId);
  await page.getByTestId("source-client").fill(stack.source.clientId);
  await page.getByTestId("source-app").fill(stack.source.appId);
  await page.getByTestId("source-secret").fill(stack.clientSecret);
  await page.getByTestId("source-cloud").selectOption({ label: "Custom endpoints" });
  await page.getByTestId("source-authority").fill(stack.source.cloud.authorityHost);
  await page.getByTestId("source-graph").fill(stack.source.cloud.graphBaseUrl);
  await page.getByTestId("source-ca").fill(stack.source.caFile);
  await page.getByTestId("setup-test-next").click();
  await page.getByTestId("target-region").selectOption({ label: "On-premises gateway" });
  await page.getByTestId("target-url").fill(stack.scimUrl);
  await page.getByTestId("target-token").fill(stack.scimToken);
  await page.getByTestId("target-sso").fill("Contoso E2E SSO");
  await page.getByTestId("setup-test-next").click();
  for (const next of ["scope", "mappings", "schedule"]) {
    await expect(page.getByTestId(`setup-step-${next}`)).toBeVisible();
    await page.getByTestId("setup-next").click();
  }
  await page.getByTestId("setup-save").click();
  await expect(page.getByTestId("setup-saved")).toContainText("use it from Profiles");
}

test("profiles: list, refuse a bad name at the field, rename, reach setup, delete a second profile", async ({
  app: page,
  stack,
}) => {
  // A second profile, stored by a script through the CLI, the way an admin might bring one in.
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ["electron/cli/provision-desk.js", "--data-dir", stack.dataDir, ...args], {
      stdio: "pipe",
    });
  const file = join(stack.dataDir, "second.json");
  cli("--profile", "e2e", "config", "export", file);
  cli("--profile", "second", "config", "import", file);

  await page.getByTestId("nav-profiles").click();
  const e2e = page.getByTestId("profile-e2e");
  await expect(e2e).toContainText("Revision 1");
  await expect(e2e.getByTestId("profile-active")).toBeVisible();
  await expect(page.getByTestId("profile-second").getByTestId("profile-active")).toHaveCount(0);
  await step(page, "profiles-1-list");

  // A name the profile schema refuses comes back from the engine and is shown at the field.
  await e2e.getByTestId("profile-rename").click();
  const input = page.getByTestId("profile-rename-input");
  await expect(input).toBeFocused();
  await input.fill("../x");
  await input.press("Enter");
  await expect(page.getByTestId("profile-rename-error")).toContainText("not valid");
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await step(page, "profiles-2-refused");

  await input.fill("Contoso main");
  await input.press("Enter");
  const renamed = page.getByTestId("profile-Contoso main");
  await expect(renamed.getByTestId("profile-active")).toBeVisible();
  await expect(page.getByTestId("profile-e2e")).toHaveCount(0);
  // Focus goes back to the button that opened the field.
  await expect(renamed.getByTestId("profile-rename")).toBeFocused();
  await page.getByTestId("nav-dashboard").click();
  await expect(page.getByTestId("section-dashboard")).toContainText("Contoso main");

  // Delete the second profile, after a confirm that says its secrets and history go too.
  await page.getByTestId("nav-profiles").click();
  const second = page.getByTestId("profile-second");
  await second.getByTestId("profile-delete").click();
  const dialog = page.getByTestId("profile-delete-dialog");
  await expect(dialog).toContainText("secrets");
  await expect(dialog).toContainText("history");
  await step(page, "profiles-3-confirm-delete");
  await dialog.getByRole("button", { name: "Cancel" }).press("Escape");
  await expect(second.getByTestId("profile-delete")).toBeFocused();
  await second.getByTestId("profile-delete").click();
  await page.getByTestId("profile-delete-confirm").click();
  await expect(page.getByTestId("profile-second")).toHaveCount(0);
  await expect(page.getByTestId("profile-Contoso main")).toBeVisible();

  // "New profile" opens first-run setup.
  await page.getByTestId("profile-new").click();
  await expect(page.getByTestId("setup-step-source")).toBeVisible();
  await expect(page.getByTestId("nav-profiles")).toHaveCount(0);
  // The secrets shown are the new profile's (none yet), not those of the profile in use.
  const source = page.getByTestId("setup-step-source");
  await expect(source).toContainText("Client secret missing");
  await expect(source).not.toContainText("Client secret stored");
  await step(page, "profiles-4-setup");

  // Cancel goes back to Profiles, to the button that opened setup, with nothing new stored.
  await page.getByTestId("source-secret").fill("typed-then-cancelled");
  await page.getByTestId("setup-cancel").click();
  await expect(page.getByTestId("profile-new")).toBeFocused();
  await expect(page.getByTestId("profiles-list").getByTestId("profile-active")).toHaveCount(1);
  await expect(page.getByTestId("profile-Contoso main").getByTestId("profile-active")).toBeVisible();
  await expect(page.getByTestId("profile-default")).toHaveCount(0);

  // Set up for real: the profile in use stays in use, and the new one has its own secrets once saved.
  await page.getByTestId("profile-new").click();
  await setUpAnother(page, stack);
  await page.getByTestId("setup-finish").click();
  await expect(page.getByTestId("profile-Contoso main").getByTestId("profile-active")).toBeVisible();
  await page.getByTestId("profile-default").getByTestId("profile-select").click();
  await expect(page.getByTestId("profile-default").getByTestId("profile-active")).toBeVisible();
  await page.getByTestId("nav-connections").click();
  await expect(page.getByTestId("target-card")).toContainText("Secret token stored");
  await expect(page.getByTestId("section-connections")).toContainText("Client secret stored");
});
