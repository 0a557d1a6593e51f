import { InvalidArgumentError, Option, type Command } from "commander";
import type { CliContext } from "../context";
import { formatCycle, formatLogLine, formatRulesTest, logsCsv } from "../format";

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive whole number");
  return n;
};

export function registerInspectCommands(program: Command, ctx: CliContext): void {
  program
    .command("status")
    .description("show the status, the last cycle and the next scheduled one")
    .option("--json", "print as JSON")
    .action((options: { json?: boolean }) =>
      ctx.run(async () => {
        const service = await ctx.openService();
        await service.refreshSecrets();
        const dashboard = service.dashboard();
        const { secrets } = service.connections();
        if (options.json) return ctx.json({ ...dashboard, secrets, dataDir: ctx.dataDir });
        ctx.out(`Profile: ${dashboard.profileName ?? "(none)"}   data folder: ${ctx.dataDir}\n`);
        ctx.out(`Status: ${dashboard.status} — ${dashboard.statusMessage}\n`);
        ctx.out(
          `Secrets: client secret ${secrets.clientSecret ? "set" : "missing"}, SCIM token ${secrets.scimToken ? "set" : "missing"}\n`,
        );
        ctx.out(`Linked: ${dashboard.linked.users} users, ${dashboard.linked.groups} groups\n`);
        if (dashboard.intervalMinutes !== null)
          ctx.out(`Schedule: every ${dashboard.intervalMinutes} minutes (when the app or "serve" runs)\n`);
        ctx.out(dashboard.lastCycle ? `Last cycle:\n${formatCycle(dashboard.lastCycle)}` : "No cycle has run yet.\n");
      }),
    );

  program
    .command("logs")
    .description("print the provisioning log")
    .option("--cycle <id>", "only this cycle", positiveInt)
    .option("--limit <n>", "at most this many entries (newest first)", positiveInt, 200)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "csv"]).default("text"))
    .action((options: { cycle?: number; limit: number; format: "text" | "json" | "csv" }) =>
      ctx.run(async () => {
        const entries = (await ctx.openService()).logs({ cycleId: options.cycle, limit: options.limit });
        if (options.format === "json") ctx.json(entries);
        else if (options.format === "csv") ctx.out(logsCsv(entries));
        else if (entries.length === 0) ctx.out("No log entries.\n");
        else entries.forEach((entry) => ctx.out(formatLogLine(entry)));
      }),
    );

  program
    .command("rules")
    .description("check the mappings and scoping filters")
    .command("test")
    .description("show the scoping decision (with the deciding clause) and every mapped target attribute for one user")
    .requiredOption("--user <upnOrId>", "the user's userPrincipalName or object id")
    .option("--json", "print as JSON")
    .action((options: { user: string; json?: boolean }) =>
      ctx.run(async () => {
        const report = await (await ctx.openService()).testRules(options.user);
        if (options.json) return ctx.json(report);
        ctx.out(formatRulesTest(report));
      }),
    );
}
