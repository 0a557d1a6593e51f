import { Option, type Command } from "commander";
import type { ConnectionCheck, Progress } from "../../../shared/ipc/model";
import type { CliContext } from "../context";
import { EXIT, exitCodeForOutcome } from "../exit-codes";
import { cycleJson, formatCycle } from "../format";

const formatChecks = (checks: ConnectionCheck[]) =>
  checks
    .map(
      (check) =>
        `${check.ok ? "ok  " : "FAIL"}  ${check.name}: ${check.message}${check.detail && !check.ok ? `\n        ${check.detail}` : ""}\n`,
    )
    .join("");

/** What a finished phase did, for the human output on stderr (the marker phases read, match, gates, commit say nothing). */
const PHASE_DONE: Partial<Record<Progress["phase"], (n: number) => string>> = {
  scope: (n) => `decided scope for ${n} objects`,
  evaluate: (n) => `evaluated the mappings for ${n} objects`,
  diff: (n) => `compared the members of ${n} groups`,
  apply: (n) => `applied ${n} changes`,
};

export function registerCycleCommands(program: Command, ctx: CliContext): void {
  program
    .command("test-connection")
    .description("check the source (token, each Graph permission) and the target (auth, a filtered GET)")
    .addOption(new Option("--side <side>", "which side to check").choices(["source", "target", "both"]).default("both"))
    .option("--json", "print the checks as JSON")
    .action((options: { side: "source" | "target" | "both"; json?: boolean }) =>
      ctx.run(async () => {
        const service = await ctx.openService();
        const checks = await service.testConnection(options.side);
        if (options.json) ctx.json(checks);
        else ctx.out(formatChecks(checks));
        if (checks.every((check) => check.ok)) return EXIT.ok;
        return checks.some((check) => check.refused) ? EXIT.authOrQuarantine : EXIT.failures;
      }),
    );

  program
    .command("sync")
    .description("run one cycle now")
    .option("--dry-run", "compute and log the whole plan without changing the target")
    .option("--full", "an initial cycle: read everything again instead of the changes since the last cycle")
    .option("--allow-deletes", "allow this one cycle to exceed the deletion threshold")
    .option("--json", "print the cycle summary as one JSON object")
    .action((options: { dryRun?: boolean; full?: boolean; allowDeletes?: boolean; json?: boolean }) =>
      ctx.run(async () => {
        const service = await ctx.openService();
        if (!options.json) {
          service.on("cycle.progress", (progress) => {
            const done = PHASE_DONE[progress.phase];
            if (done && progress.total > 0 && progress.done === progress.total)
              ctx.io.stderr.write(`  ${done(progress.total)}\n`);
          });
        }
        const { summary, failure } = await service.runCycle({
          dryRun: !!options.dryRun,
          full: !!options.full,
          allowDeletes: !!options.allowDeletes,
        });
        if (options.json) ctx.json(cycleJson(summary));
        else ctx.out(formatCycle(summary));
        if (failure?.kind === "auth") return EXIT.authOrQuarantine;
        return exitCodeForOutcome(summary.outcome);
      }),
    );

  program
    .command("provision")
    .description("provision one user on demand and show each step")
    .requiredOption("--user <upnOrId>", "the user's userPrincipalName or object id")
    .option("--json", "print the trace as JSON")
    .action((options: { user: string; json?: boolean }) =>
      ctx.run(async () => {
        const service = await ctx.openService();
        const result = await service.provisionOne(options.user);
        if (options.json) ctx.json(result);
        else for (const step of result.steps) ctx.out(`${step.status.padEnd(7)}  ${step.name}: ${step.detail}\n`);
        if (!result.steps.some((step) => step.status === "Failure")) return EXIT.ok;
        return result.failureKind === "auth" ? EXIT.authOrQuarantine : EXIT.failures;
      }),
    );
}
