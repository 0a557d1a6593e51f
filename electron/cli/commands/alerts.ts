import type { Command } from "commander";
import type { CliContext } from "../context";

export function registerAlerts(program: Command, ctx: CliContext): void {
  program
    .command("alerts")
    .description("email alerts (profile key alerts.email; password: secret set smtp-password)")
    .command("test")
    .description("send a test email to the alert recipients")
    .option("--json", "print the result as JSON")
    .action((options: { json?: boolean }) =>
      ctx.run(async () => {
        const result = await (await ctx.openService()).sendTestAlert();
        if (options.json) return ctx.json(result);
        ctx.out(`Sent a test email to ${result.to.join(", ")}.\n`);
      }),
    );
}
