import { expect, test } from "./fixtures";

test("a tab opened later by cookie alone still connects, and an unknown user in Test with a user is a plain not-found", async ({
  app: page,
  context,
  stack,
}) => {
  // The first tab came in through the printed link; a second one (bookmark, new tab) has only the cookie. The
  // WebSocket refuses the cookie alone, so the page must find the token in itself.
  const later = await context.newPage();
  await later.goto(new URL("/", stack.url).href);
  await expect(later.locator("body")).toHaveAttribute("data-app-ready", "true");
  await expect(later.getByTestId("status-message")).toBeVisible(); // the dashboard's data arrived over the WebSocket
  await expect(later.getByTestId("connection-banner")).toHaveCount(0);
  await later.close();

  await page.getByTestId("nav-mappings").click();
  await page.getByTestId("rules-test-user").fill("nobody@contoso.test");
  await page.getByTestId("rules-test-run").click();
  const notice = page.getByTestId("rules-tester").getByTestId("error-notice");
  await expect(notice).toHaveAttribute("data-error-code", "NOT_FOUND");
  await expect(notice).toContainText('No user "nobody@contoso.test" was found in Entra ID');
  await expect(notice).not.toContainText("unexpected problem");
});
