import { readFileSync } from "node:fs";
import { expect, parseCsv, step, test } from "./fixtures";

const fold = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

// The acceptance's size: a tenant with exactly 261 users in scope (scope "all", 261 enabled users).
test.use({ stackEnv: { E2E_IN_SCOPE_USERS: "261" } });

test("Log: filters by action and by a name typed without accents; the CSV export of a 261-user first cycle has 261 creates", async ({
  app: page,
}) => {
  await page.getByTestId("provision-now").click();
  const result = page.getByTestId("run-result");
  await expect(result).toHaveAttribute("data-outcome", "succeeded", { timeout: 170_000 });
  await expect(result).toContainText("261 users created");

  // The first cycle's row on the dashboard opens the log filtered to that cycle; export that as CSV.
  const cycleLink = page.getByTestId("cycle-log-link");
  await expect(cycleLink).toHaveCount(1);
  const cycleId = (await cycleLink.textContent())!;
  await cycleLink.click();
  await expect(page.getByRole("spinbutton", { name: "Cycle" })).toHaveValue(cycleId);
  const rows = page.getByTestId("log-row");
  await expect(rows.first()).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("log-export-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^provisioning-log-.*\.csv$/);
  const [header, ...records] = parseCsv(readFileSync((await download.path())!, "utf8"));
  const col = (title: string) => {
    const index = header!.indexOf(title);
    expect(index, `CSV column "${title}"`).toBeGreaterThanOrEqual(0);
    return index;
  };
  const summaries = records.filter((r) => r[col("Record")] === "Summary");
  expect(new Set(summaries.map((r) => r[col("Cycle Id")]))).toEqual(new Set([cycleId]));
  const creates = summaries.filter((r) => r[col("Action")] === "Create" && r[col("Identity Type")] === "User");
  expect(creates).toHaveLength(261);
  expect(new Set(creates.map((r) => r[col("Change Id")])).size).toBe(261);
  expect(creates.every((r) => r[col("Status")] === "Success")).toBe(true);

  // Filter by action: every row shown is a create, and the count is of the whole cycle, not of a loaded page.
  await page.getByLabel("Action").selectOption("Create");
  await page.getByLabel("Type").selectOption("user");
  await expect(page.getByText("261 matching entries")).toBeVisible();
  for (const row of (await rows.all()).slice(0, 20)) await expect(row).toHaveAttribute("data-action", "Create");

  // A name with accents, typed without them (and in capitals): the server-side search finds every create of it.
  const created = creates.map((r) => r[col("Display Name")]!);
  const name = created.find((n) => fold(n) !== n.toLowerCase());
  expect(name, "the 261-user tenant has names with accents").toBeDefined();
  const matching = created.filter((n) => fold(n).includes(fold(name!))).length;
  await page.getByRole("searchbox", { name: "Search" }).fill(fold(name!).toUpperCase());
  await expect(page.getByText(`${matching} matching entr${matching === 1 ? "y" : "ies"}`)).toBeVisible();
  await expect(rows).toHaveCount(matching);
  await expect(rows.first()).toContainText(name!);
  for (const row of await rows.all()) {
    await expect(row).toHaveAttribute("data-action", "Create");
    expect(fold((await row.locator(".log-name").textContent()) ?? "")).toContain(fold(name!));
  }
  await step(page, "log-filtered-unaccented");
});
