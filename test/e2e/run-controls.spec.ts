import type { Page } from "@playwright/test";
import type { Stack } from "./fixtures";
import { expect, screenshot, test } from "./fixtures";

async function scimList<T>(stack: Stack, resource: "Users" | "Groups"): Promise<T[]> {
  const response = await fetch(`${stack.scimUrl}/${resource}?count=1000`, {
    headers: { Authorization: `Bearer ${stack.scimToken}` },
  });
  return ((await response.json()) as { Resources: T[] }).Resources;
}

/** What the SCIM target holds, read from the emulator itself (not through the app). */
async function targetUsers(stack: Stack): Promise<string[]> {
  return (await scimList<{ userName: string }>(stack, "Users")).map((user) => user.userName);
}

/** Users, and each group with its member count, as sorted lines: equal lines, equal target. */
async function targetState(stack: Stack): Promise<string[]> {
  const groups = await scimList<{ displayName: string; members?: unknown[] }>(stack, "Groups");
  return [
    ...(await targetUsers(stack)).map((name) => `user ${name.toLowerCase()}`),
    ...groups.map((group) => `group ${group.displayName} (${group.members?.length ?? 0} members)`),
  ].sort();
}

async function linkedUsers(page: Page): Promise<number> {
  const text = await page.getByTestId("schedule-card").textContent();
  return Number(/Linked in the target\s*(\d+) users?/.exec(text ?? "")?.[1]);
}

test.describe("a slow target", () => {
  test.use({ stackEnv: { E2E_TARGET_LATENCY_MS: "300" } });

  test("Cancel stops a first cycle midway; the next cycle converges the target exactly", async ({
    app: page,
    stack,
  }) => {
    await page.getByTestId("provision-now").click();
    const progress = page.getByTestId("cycle-progress");
    await expect(progress).toHaveAttribute("data-phase", "apply", { timeout: 60_000 });
    await expect(page.getByTestId("progress-counts")).toContainText(/read · \d+ of \d+ evaluated/);
    await screenshot(page, "run-controls-progress");
    await page.getByTestId("cancel-cycle").click();
    const result = page.getByTestId("run-result");
    await expect(result).toHaveAttribute("data-outcome", "cancelled", { timeout: 60_000 });
    const afterCancel = await targetState(stack);
    await screenshot(page, "run-controls-cancelled");

    await page.getByTestId("provision-now").click();
    await expect(result).toHaveAttribute("data-outcome", "succeeded", { timeout: 120_000 });
    const converged = await targetState(stack);
    // The cancelled cycle left work undone, and the next one finished it without creating anything twice.
    expect(converged).not.toEqual(afterCancel);
    expect(new Set(converged).size).toBe(converged.length);
    const users = await targetUsers(stack);
    await expect.poll(() => linkedUsers(page)).toBe(users.length);

    // Converged: one more cycle has nothing left to do.
    await page.getByTestId("provision-now").click();
    await expect(page.getByTestId("cycles-table").locator("tbody tr")).toHaveCount(3, { timeout: 120_000 });
    await expect(result).toHaveAttribute("data-outcome", "succeeded");
    await expect(result).toContainText("No changes");
    expect(await targetState(stack)).toEqual(converged);
  });
});

test.describe("a refused SCIM token", () => {
  test.use({ stackEnv: { E2E_WRONG_SCIM_TOKEN: "1" } });

  test("puts provisioning in quarantine with the reason; Retry now after fixing the token recovers", async ({
    app: page,
    stack,
  }) => {
    await page.getByTestId("provision-now").click();
    const quarantine = page.getByTestId("quarantine");
    await expect(quarantine).toBeVisible({ timeout: 120_000 });
    await expect(quarantine).toContainText("credentials were rejected");
    await screenshot(page, "run-controls-quarantine");

    await page.getByTestId("nav-connections").click();
    await page.getByTestId("target-token").fill(stack.scimToken);
    await page.getByTestId("target-test").click();
    await expect(page.getByTestId("target-card")).toContainText("Secret token stored");

    await page.getByTestId("nav-dashboard").click();
    await page.getByTestId("retry-now").click();
    await expect(quarantine).toHaveCount(0, { timeout: 120_000 });
    await expect(page.getByTestId("last-cycle-card")).toContainText("Succeeded");
    const users = await targetUsers(stack);
    expect(users.length).toBeGreaterThan(0);
    await expect.poll(() => linkedUsers(page)).toBe(users.length);
  });
});
