import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { expect, screenshot, test } from "./fixtures";

// `npm run demo` exactly as a newcomer runs it: the demo launcher, its seeded tenant and target, browser mode.
test("npm run demo reaches a running app whose Provision Now fills the demo target", async ({ page }) => {
  const demoDir = mkdtempSync(join(tmpdir(), "pd-demo-"));
  const child = spawn("npm", ["run", "demo", "--", "--fresh"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, PROVISIONDESK_DEMO_DIR: demoDir, PROVISIONDESK_BROWSER_MODE: "1" },
    detached: true,
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`npm run demo exited early (code ${code})`)));
      createInterface({ input: child.stdout! }).on("line", (line) => {
        const found = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line);
        if (found?.[1]) resolve(found[1]);
      });
    });

    await page.goto(url);
    await expect(page.locator("body")).toHaveAttribute("data-app-ready", "true");
    await expect(page.getByTestId("schedule-card")).toContainText("demo");

    await page.getByTestId("provision-now").click();
    const result = page.getByTestId("run-result");
    await expect(result).toContainText("Provisioning finished", { timeout: 150_000 });
    await expect(result).toHaveAttribute("data-outcome", "succeeded");
    await screenshot(page, "demo-1-dashboard");

    await page.getByTestId("nav-target").click();
    await expect(page.getByTestId("target-totals")).not.toContainText(/^0 users/);
    // The seeded tenant assigns dozens of users and several groups to the demo app.
    expect(await page.getByTestId("target-user").count()).toBeGreaterThan(20);
    expect(await page.getByTestId("target-group").count()).toBeGreaterThan(1);
    await screenshot(page, "demo-2-target");
  } finally {
    // npm starts the demo in a child of its own: end the whole process group.
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
    rmSync(demoDir, { recursive: true, force: true });
  }
});
