import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect } from "@playwright/test";
import type { Page } from "@playwright/test";

export interface Stack {
  url: string;
  dataDir: string;
  users: number;
  scimToken: string;
  scimUrl: string;
  /** What an admin copies from the Entra admin center (the emulated tenant). */
  clientSecret: string;
  source: {
    tenantId: string;
    clientId: string;
    appId: string;
    cloud: { authorityHost: string; graphBaseUrl: string };
    caFile: string;
  };
  /** An enabled user neither assigned to the enterprise app nor in an assigned group. */
  unassignedUser: string | null;
  /** An enabled member assigned to the app (directly or through a group), with both names. */
  assignedUser: { userPrincipalName: string; givenName: string; surname: string } | null;
}

export const SCREENSHOT_DIR = join("test", "artifacts", "screenshots");

/** Starts test/e2e/stack.ts (emulators + real engine + browser mode) in its own process and waits for its URL. */
async function startStack(env: Record<string, string>): Promise<{ stack: Stack; child: ChildProcess }> {
  if (!existsSync(join("dist", "renderer", "index.html"))) {
    throw new Error(
      "The renderer is not built: run `npm run build:renderer` (vite build) before the end-to-end tests.",
    );
  }
  const child = spawn(join("node_modules", ".bin", "tsx"), [join("test", "e2e", "stack.ts")], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: child.stdout! });
  const stack = await new Promise<Stack>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`The e2e stack exited early (code ${code}); see its output above.`)));
    lines.once("line", (line) => resolve(JSON.parse(line) as Stack));
  });
  return { stack, child };
}

/** One stack per test: a fresh temp data dir, fresh emulators. */
export const test = base.extend<{ stackEnv: Record<string, string>; stack: Stack; app: Page }>({
  /** Environment for the stack process, e.g. E2E_WRONG_SCIM_TOKEN=1 (set per file with test.use). */
  stackEnv: [{}, { option: true }],
  stack: async ({ stackEnv }, use) => {
    const { stack, child } = await startStack(stackEnv);
    await use(stack);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  },
  app: async ({ page, stack }, use) => {
    // The strict CSP must hold: a refused style or script would show up here (and fail the test at the end).
    const cspViolations: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
        cspViolations.push(message.text());
    });
    await page.goto(stack.url);
    // The app announces itself once its first data arrived from main: wait on that, never on time.
    await expect(page.locator("body")).toHaveAttribute("data-app-ready", "true");
    await use(page);
    expect(cspViolations, "Content-Security-Policy violations").toEqual([]);
  },
});

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** A screenshot of the step, and axe's check of the screen: no serious or critical accessibility violation. */
export async function step(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `accessibility violations on "${name}"`).toEqual([]);
}

export interface ScimUser {
  id: string;
  userName: string;
  displayName?: string;
  active?: boolean;
}

/** What the SCIM emulator holds now, read as any SCIM client would. */
export async function scimUsers(stack: Stack): Promise<ScimUser[]> {
  const response = await fetch(`${stack.scimUrl}/Users?count=1000`, {
    headers: { authorization: `Bearer ${stack.scimToken}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { Resources: ScimUser[] }).Resources;
}

/** RFC 4180 CSV (quoted cells may hold commas, quotes and line breaks) as rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/**
 * Narrows the scope to the one small group "Dept - Engineering" and saves: most provisioned users leave scope, which
 * trips the deletion threshold or the canary.
 */
export async function narrowScopeToEngineering(page: Page): Promise<void> {
  await page.getByTestId("nav-scope").click();
  await page.getByTestId("scope-mode-groups").check();
  await page.getByTestId("group-search").fill("Dept - Eng");
  await page.getByRole("button", { name: "Add Dept - Engineering" }).click();
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("save-done")).toBeVisible();
}

export { expect };
