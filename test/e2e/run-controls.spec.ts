import type { Page } from "@playwright/test";
import type { Stack } from "./fixtures";
import { startSmtpSink, type SmtpSink } from "../engine/alerts/smtp-sink";
import { expect, screenshot, step, test } from "./fixtures";

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
  const REFUSED_TOKEN = "a-token-the-target-refuses";
  const SMTP = { user: "alerts@contoso.com", password: "smtp-pass-e2e-7Qx9" };
  let sink: SmtpSink;
  test.beforeEach(async () => {
    sink = await startSmtpSink(SMTP);
  });
  test.afterEach(async () => {
    await sink.close();
  });

  test("puts provisioning in quarantine and mails the admin once, without secrets; Retry now after fixing recovers and mails resolved", async ({
    app: page,
    stack,
  }) => {
    // Email alerts set up in Settings, as an admin would: the real SMTP server of this test, signed in.
    await page.getByTestId("nav-settings").click();
    await page.getByTestId("alerts-enabled").check();
    await page.getByTestId("alerts-host").fill("127.0.0.1");
    await page.getByTestId("alerts-port").fill(String(sink.port));
    await page.getByTestId("alerts-security").selectOption("none");
    await page.getByTestId("alerts-from").fill("provisiondesk@contoso.com");
    await page.getByTestId("alerts-to").fill("it-admins@contoso.com, oncall@contoso.com");
    await page.getByTestId("alerts-username").fill(SMTP.user);
    // Whether a password is stored, from the keychain (never the password itself).
    const presence = page.getByTestId("alerts-password-presence");
    await expect(presence).toHaveText("No password stored");
    await expect(presence).toHaveAttribute("data-stored", "false");
    const storePassword = async (password: string) => {
      await page.getByTestId("alerts-password").fill(password);
      await page.getByTestId("alerts-store-password").click();
      await expect(presence).toHaveText("Password stored");
    };
    await storePassword("a-mistyped-password");
    await page.getByTestId("save-profile").click();
    await expect(page.getByTestId("save-done")).toBeVisible();
    // A password the server refuses: the test says so and what to check, and nothing arrives.
    await page.getByTestId("alerts-test").click();
    await expect(page.getByRole("alert").filter({ hasText: "The test email was not sent" })).toContainText(
      "Check the SMTP host, port, security setting, user name and password",
    );
    expect(sink.mails).toHaveLength(0);
    await storePassword(SMTP.password);
    await page.getByTestId("alerts-test").click();
    await expect(page.getByTestId("alerts-test-sent")).toContainText("it-admins@contoso.com, oncall@contoso.com");
    await expect.poll(() => sink.mails.length).toBe(1);
    expect(sink.mails[0]!.subject).toContain("test message");
    expect(sink.mails[0]!.user).toBe(SMTP.user);
    await step(page, "run-controls-alerts-settings");
    // Still known after leaving Settings and coming back.
    await page.getByTestId("nav-dashboard").click();
    await page.getByTestId("nav-settings").click();
    await expect(presence).toHaveAttribute("data-stored", "true");

    await page.getByTestId("nav-dashboard").click();
    await page.getByTestId("provision-now").click();
    const quarantine = page.getByTestId("quarantine");
    await expect(quarantine).toBeVisible({ timeout: 120_000 });
    await expect(quarantine).toContainText("credentials were rejected");
    // The reason is said once, in the panel with Retry now; the status, the run's result and the last cycle point to it.
    const main = await page.locator("main").innerText();
    expect(main.split("rejected the token").length - 1, "times the reason is shown").toBe(1);
    await expect(page.getByTestId("status-message")).toHaveText("Quarantined — see below.");
    await expect(page.getByTestId("run-result").getByTestId("quarantine-pointer")).toBeVisible();
    await expect(page.getByTestId("last-cycle-card").getByTestId("quarantine-pointer")).toBeVisible();
    await expect.poll(() => sink.mails.length).toBe(2);
    const alert = sink.mails[1]!;
    expect(alert.subject).toMatch(/credential was refused/);
    expect(alert.text).toContain("Replace the client secret or SCIM token under Connections");
    expect(alert.to.sort()).toEqual(["it-admins@contoso.com", "oncall@contoso.com"]);
    await screenshot(page, "run-controls-quarantine");

    // A second failing cycle (Retry now before fixing anything): still quarantined, and no second mail.
    const cycles = page.getByTestId("cycles-table").locator("tbody tr");
    const failedSoFar = await cycles.count();
    await page.getByTestId("retry-now").click();
    await expect(cycles).toHaveCount(failedSoFar + 1, { timeout: 120_000 });
    await expect(quarantine).toBeVisible();

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

    // The resolved mail comes after everything the failing cycles sent: exactly one alert went out before it.
    await expect.poll(() => sink.mails.length).toBe(3);
    expect(sink.mails[2]!.subject).toMatch(/resolved/);
    expect(sink.mails.filter((m) => /credential was refused/.test(m.subject))).toHaveLength(1);
    for (const mail of sink.mails)
      for (const secret of [REFUSED_TOKEN, stack.scimToken, stack.clientSecret, SMTP.password])
        expect(mail.raw, `"${mail.subject}" quotes a secret`).not.toContain(secret);
  });
});
