import { readFileSync } from "node:fs";
import { expect, screenshot, test } from "./fixtures";

const fold = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

test("Log: server-side filters find a name typed without accents, and the CSV export holds every create", async ({
  app: page,
}) => {
  const nav = (name: string) =>
    page.getByRole("navigation", { name: "Sections" }).getByTestId(`nav-${name.toLowerCase()}`);
  await page.getByTestId("provision-now").click();
  const result = page.getByTestId("run-result");
  await expect(result).toHaveAttribute("data-outcome", "succeeded", { timeout: 120_000 });
  const created = Number(/(\d+) users created/.exec((await result.textContent()) ?? "")?.[1]);
  expect(created).toBeGreaterThan(1);

  await nav("Log").click();
  const rows = page.getByTestId("log-row");
  await expect(rows.first()).toBeVisible();
  const names = await page.locator('[data-testid="log-row"][data-object="user"] .log-name').allTextContents();
  // Prefer a name with accents; any name proves case-blind search when the seed has none.
  const name = names.find((n) => fold(n) !== n.toLowerCase()) ?? names[0]!;
  const typed = fold(name).toUpperCase() === name ? fold(name) : fold(name).toUpperCase();

  await page.getByLabel("Action").selectOption("Create");
  await page.getByRole("searchbox", { name: "Search" }).fill(typed);
  await expect(page.getByText(/^\d+ matching entr(y|ies)$/)).toBeVisible();
  await expect(rows.first()).toContainText(name);
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute("data-action", "Create");
    expect(fold((await row.locator(".log-name").textContent()) ?? "")).toContain(fold(name));
  }
  await screenshot(page, "log-filtered");

  // Export with only the Create + User filters: one summary row per created user.
  await page.getByRole("searchbox", { name: "Search" }).fill("");
  await page.getByLabel("Type").selectOption("user");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("log-export-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^provisioning-log-.*\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8");
  const summaries = csv.split("\r\n").filter((line) => line.startsWith("Summary,"));
  expect(summaries).toHaveLength(created);
  expect(summaries.every((line) => line.includes(",Create,Success,User,"))).toBe(true);
});
