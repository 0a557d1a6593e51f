import type { Page } from "@playwright/test";
import { expect, scimUsers, step, test } from "./fixtures";
import type { Stack } from "./fixtures";

test.use({ stackEnv: { E2E_NO_PROFILE: "1" } });

/** How the admin works the form: with the mouse, or with the keyboard only (Tab, typing, Enter). */
interface Driver {
  fill(testId: string, text: string): Promise<void>;
  choose(testId: string, option: string): Promise<void>;
  press(testId: string): Promise<void>;
}

const mouse = (page: Page): Driver => ({
  fill: (id, text) => page.getByTestId(id).fill(text),
  choose: async (id, option) => void (await page.getByTestId(id).selectOption({ label: option })),
  press: (id) => page.getByTestId(id).click(),
});

const keyboard = (page: Page): Driver => {
  /** Tab forward until the element is focused: proves it is reachable from the keyboard. */
  const tabTo = async (id: string) => {
    await expect(page.getByTestId(id)).toBeVisible();
    for (let presses = 0; presses < 80; presses++) {
      if ((await page.evaluate("document.activeElement?.getAttribute('data-testid')")) === id) return;
      await page.keyboard.press("Tab");
    }
    throw new Error(`${id} cannot be reached with Tab`);
  };
  return {
    fill: async (id, text) => {
      await tabTo(id);
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.type(text);
    },
    // A closed <select> picks the option whose label starts with what is typed.
    choose: async (id, option) => {
      await tabTo(id);
      await page.keyboard.type(option);
      await expect(page.getByTestId(id).locator("option:checked")).toHaveText(option);
    },
    press: async (id) => {
      await tabTo(id);
      await page.keyboard.press("Enter");
    },
  };
};

async function setUp(page: Page, stack: Stack, drive: Driver, shots: string) {
  const setup = page.getByTestId("setup");
  await expect(setup).toBeVisible();
  await expect(page.getByTestId("setup-step-source")).toBeVisible();
  await step(page, `${shots}-1-source-empty`);

  // 1. Source: what the Entra admin center shows, and the client secret (tested before it is stored).
  await drive.fill("source-tenant", stack.source.tenantId);
  await drive.fill("source-client", stack.source.clientId);
  await drive.fill("source-app", stack.source.appId);
  await drive.fill("source-secret", stack.clientSecret);
  await drive.choose("source-cloud", "Custom endpoints");
  await drive.fill("source-authority", stack.source.cloud.authorityHost);
  await drive.fill("source-graph", stack.source.cloud.graphBaseUrl);
  await drive.fill("source-ca", stack.source.caFile);
  await step(page, `${shots}-2-source-filled`);
  await drive.press("setup-test-next");

  // 2. Target: the Splashtop-style emulator behind an "on-premises gateway" URL, its token and the SSO method.
  await expect(page.getByTestId("setup-step-target")).toBeVisible();
  await drive.choose("target-region", "On-premises gateway");
  await drive.fill("target-url", stack.scimUrl);
  await drive.fill("target-token", stack.scimToken);
  await drive.fill("target-sso", "Contoso E2E SSO");
  await expect(page.getByTestId("target-form")).toContainText(/must match the SSO method's name in Splashtop exactly/i);
  await step(page, `${shots}-3-target`);
  await drive.press("setup-test-next");

  // 3. Scope: Entra's default (assigned), with the live count for the draft.
  await expect(page.getByTestId("setup-step-scope")).toBeVisible();
  const count = page.getByTestId("scope-preview-count");
  await expect(count).toHaveAttribute("data-count", /[1-9]\d*/);
  await expect(page.getByTestId("scope-assignments")).toContainText("managed in Entra");
  await step(page, `${shots}-4-scope`);
  const inScope = Number(await count.getAttribute("data-count"));
  await drive.press("setup-next");

  // 4. Mappings: the preset's defaults, kept.
  await expect(page.getByTestId("setup-mappings")).toBeVisible();
  await step(page, `${shots}-5-mappings`);
  await drive.press("setup-next");

  // 5. Schedule and safety.
  await expect(page.getByTestId("setup-step-schedule")).toBeVisible();
  await drive.fill("settings-interval", "30");
  await step(page, `${shots}-6-schedule`);
  await drive.press("setup-next");

  // 6. Review, save, preview, run.
  await expect(page.getByTestId("setup-step-review")).toContainText("Every 30 minutes");
  await step(page, `${shots}-7-review`);
  await drive.press("setup-save");
  await expect(page.getByTestId("setup-saved")).toBeVisible();
  await drive.press("dry-run");
  const result = page.getByTestId("run-result");
  await expect(result).toContainText("Dry run finished: nothing was changed in the target", { timeout: 120_000 });
  await expect(result).toContainText(`${inScope} users created`);
  expect(await scimUsers(stack)).toHaveLength(0);
  await step(page, `${shots}-8-preview`);
  await drive.press("provision-now");
  await expect(result).toContainText("Provisioning finished", { timeout: 120_000 });
  await expect(result).toHaveAttribute("data-outcome", "succeeded");
  expect(await scimUsers(stack)).toHaveLength(inScope);
  await step(page, `${shots}-9-first-cycle`);
  await drive.press("setup-finish");
  await expect(page.getByTestId("section-dashboard")).toBeVisible();
  await expect(page.getByTestId("cycles-table")).toContainText("Succeeded");
  // The secrets were stored and are never shown again.
  await expect(page.locator("body")).not.toContainText(stack.scimToken);
  await expect(page.locator("body")).not.toContainText(stack.clientSecret);
}

test("from an empty data folder: setup, preview and a first cycle, with the mouse", async ({ app: page, stack }) => {
  await setUp(page, stack, mouse(page), "setup");
});

test("from an empty data folder: setup, preview and a first cycle, with the keyboard only", async ({
  app: page,
  stack,
}) => {
  await setUp(page, stack, keyboard(page), "setup-keyboard");
});
