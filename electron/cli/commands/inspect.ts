import { InvalidArgumentError, Option, type Command } from "commander";
import { LogActionSchema, LogFiltersSchema, LogObjectTypeSchema, LogStatusSchema } from "../../../shared/ipc/model";
import type { CliContext } from "../context";
import { CliError, EXIT } from "../exit-codes";
import { formatCycle, formatLogLine, formatRulesTest } from "../format";

/** The text view's default; json and csv export everything that matches. */
const TEXT_LIMIT = 200;
const FLAG: Record<string, string> = { cycleId: "cycle", objectType: "type" };

interface LogsOptions {
  cycle?: number;
  from?: string;
  to?: string;
  status?: string[];
  action?: string[];
  type?: string[];
  identity?: string;
  limit?: number;
  format: "text" | "json" | "csv";
}

/** A comma-separated list of allowed values, matched without regard to case ("failure,warning"). */
const listOf = (allowed: readonly string[]) => (value: string) =>
  value.split(",").map((item) => {
    const found = allowed.find((a) => a.toLowerCase() === item.trim().toLowerCase());
    if (!found) throw new InvalidArgumentError(`"${item.trim()}" is not one of ${allowed.join(", ")}`);
    return found;
  });

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
    .description(
      "print or export the provisioning log (json and csv export every matching entry unless --limit is given)",
    )
    .option("--cycle <id>", "only this cycle", positiveInt)
    .option("--from <time>", "entries at or after this ISO 8601 time (e.g. 2026-12-01T08:00:00Z)")
    .option("--to <time>", "entries at or before this ISO 8601 time")
    .option(
      "--status <list>",
      `comma-separated: ${LogStatusSchema.options.join(", ")}`,
      listOf(LogStatusSchema.options),
    )
    .option(
      "--action <list>",
      `comma-separated: ${LogActionSchema.options.join(", ")}`,
      listOf(LogActionSchema.options),
    )
    .option(
      "--type <list>",
      `comma-separated: ${LogObjectTypeSchema.options.join(", ")}`,
      listOf(LogObjectTypeSchema.options),
    )
    .option("--identity <text>", "name, UPN, email or id (ignores case and accents)")
    .option("--limit <n>", "at most this many entries, newest first (text: default 200)", positiveInt)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "csv"]).default("text"))
    .action((options: LogsOptions) =>
      ctx.run(async () => {
        const parsed = LogFiltersSchema.safeParse({
          cycleId: options.cycle,
          from: options.from,
          to: options.to,
          status: options.status,
          action: options.action,
          objectType: options.type,
          identity: options.identity,
        });
        if (!parsed.success)
          throw new CliError(
            `Invalid log filter: ${parsed.error.issues.map((i) => `--${FLAG[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join("; ")}`,
            EXIT.usage,
          );
        const service = await ctx.openService();
        if (options.format !== "text") {
          ctx.out(service.exportLogs(parsed.data, options.format, options.limit).content);
          return;
        }
        const { entries, total } = service.logs({ ...parsed.data, limit: options.limit ?? TEXT_LIMIT });
        if (entries.length === 0) ctx.out("No log entries.\n");
        entries.forEach((entry) => ctx.out(formatLogLine(entry)));
        if (total > entries.length)
          ctx.io.stderr.write(`Showing the newest ${entries.length} of ${total} entries; --limit N shows more.\n`);
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
