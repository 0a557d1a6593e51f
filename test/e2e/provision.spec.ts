import type { Page } from "@playwright/test";
import { expect, scimUsers, step, test, type Stack } from "./fixtures";

// The stack's tenant (seed 42): "Dept - Sales" is assigned to the app and has three direct user members (Fatima
// Kowalski, Páraic Bianchi, Ümit Russo); "Prism Team 2" has 15 user members and is not assigned.

interface ScimGroup {
  id: string;
  displayName: string;
  members?: { value: string }[];
}

/** The SCIM emulator's group of that name, read as any SCIM client would. */
async function scimGroup(stack: Stack, displayName: string): Promise<ScimGroup | undefined> {
  const response = await fetch(`${stack.scimUrl}/Groups?count=1000`, {
    headers: { authorization: `Bearer ${stack.scimToken}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { Resources: ScimGroup[] }).Resources.find((g) => g.displayName === displayName);
}

/** The target ids of the users with these Entra display names. */
async function targetIds(stack: Stack, displayNames: string[]): Promise<string[]> {
  const users = await scimUsers(stack);
  return displayNames.map((name) => {
    const user = users.find((u) => u.displayName === name);
    expect(user, `${name} in the target`).toBeDefined();
    return user!.id;
  });
}

async function chooseGroup(page: Page, name: string) {
  await page.getByTestId("provision-kind-group").check();
  await page.getByTestId("provision-search").fill(name.slice(0, 6));
  await page.getByRole("button", { name: `Choose ${name}` }).click();
  await expect(page.getByTestId("provision-member-picker")).toBeVisible();
}

test("Provision on demand: a user gets the five steps and lands in the provisioned group it belongs to", async ({
  app: page,
  stack,
}) => {
  await page.getByTestId("nav-provision").click();
  await expect(page).toHaveTitle(/^Provision on demand · /);

  // The group is in the target with one picked member only: Páraic Bianchi is a member in Entra, not yet in the target.
  await chooseGroup(page, "Dept - Sales");
  await page.getByRole("checkbox", { name: /Fatima Kowalski/ }).check();
  await page.getByTestId("provision-group").click();
  await expect(page.getByTestId("provision-member")).toHaveCount(1, { timeout: 60_000 });
  const [fatima] = await targetIds(stack, ["Fatima Kowalski"]);
  expect((await scimGroup(stack, "Dept - Sales"))?.members?.map((m) => m.value)).toEqual([fatima]);

  await page.getByTestId("provision-kind-user").check();
  await page.getByTestId("provision-search").fill("Páraic B");
  await page.getByRole("button", { name: "Provision Páraic Bianchi" }).click();
  const steps = page.getByTestId("provision-step");
  await expect(steps).toHaveCount(5, { timeout: 60_000 });
  await expect(steps.nth(0)).toContainText("Test connection");
  await expect(steps.nth(1)).toContainText("Import user");
  await expect(steps.nth(2)).toContainText("Determine scope");
  await expect(steps.nth(2)).toContainText('Member of "Dept - Sales", which is assigned to the app.');
  await expect(steps.nth(3)).toContainText("Match user");
  await expect(steps.nth(4)).toContainText("Perform action");
  await expect(steps.nth(4)).toHaveAttribute("data-status", "Success");
  await expect(steps.nth(4)).toContainText("Added to Dept - Sales");
  await expect(page.getByTestId("provision-groups")).toContainText("Dept - Sales");
  await step(page, "provision-user-on-demand");

  const [paraic] = await targetIds(stack, ["Páraic Bianchi"]);
  const members = (await scimGroup(stack, "Dept - Sales"))?.members?.map((m) => m.value);
  expect(members?.sort()).toEqual([fatima, paraic].sort());
});

test("Provision on demand: a group with its members, and a group out of scope says why", async ({
  app: page,
  stack,
}) => {
  await page.getByTestId("nav-provision").click();
  await chooseGroup(page, "Dept - Sales");
  await expect(page.getByTestId("provision-member-picker")).toContainText("3 user members");
  await step(page, "provision-group-choose");
  await page.getByTestId("provision-group").click();

  const steps = page.getByTestId("provision-step");
  await expect(steps).toHaveCount(5, { timeout: 60_000 });
  await expect(steps.nth(1)).toContainText("Import group");
  await expect(steps.nth(3)).toContainText("Match group");
  await expect(steps.nth(4)).toHaveAttribute("data-status", "Success");
  await expect(steps.nth(4)).toContainText("Members: 3 added");
  await expect(page.getByTestId("provision-choice")).toHaveText(
    "The group has 3 user members: all are provisioned with it.",
  );
  const members = page.getByTestId("provision-member");
  await expect(members).toHaveCount(3);
  for (const member of await members.all()) {
    await expect(member).toHaveAttribute("data-membership", "added");
    await expect(member.getByTestId("provision-member-step")).toHaveCount(4);
  }
  await step(page, "provision-group-on-demand");
  const chosen = await targetIds(stack, ["Fatima Kowalski", "Páraic Bianchi", "Ümit Russo"]);
  expect((await scimGroup(stack, "Dept - Sales"))?.members?.map((m) => m.value).sort()).toEqual(chosen.sort());

  // 15 members, not assigned: the limit is said up front, and nothing reaches the target.
  await page.getByTestId("provision-search").fill("Prism");
  await expect(page.getByText("15 members: 5 of them are provisioned with it (Entra's limit)")).toBeVisible();
  await page.getByRole("button", { name: "Choose Prism Team 2" }).click();
  await expect(page.getByTestId("provision-member-picker")).toContainText("15 user members");
  await page.getByTestId("provision-group").click();
  await expect(steps).toHaveCount(3, { timeout: 60_000 });
  await expect(steps.nth(2)).toHaveAttribute("data-status", "Skipped");
  await expect(steps.nth(2)).toContainText("Out of scope: not assigned to the app.");
  await expect(page.getByTestId("provision-choice")).toHaveCount(0);
  await expect(page.getByTestId("provision-member")).toHaveCount(0);
  await step(page, "provision-group-out-of-scope");
  expect(await scimGroup(stack, "Prism Team 2")).toBeUndefined();
});
