import { readFile, writeFile } from "node:fs/promises";
import { InvalidArgumentError, Option, type Command } from "commander";
import type { ConnectionCheck, Progress } from "../../../shared/ipc/model";
import { PlanViewSchema, type PlanApplyResult, type PlanView } from "../../../shared/ipc/plan-model";
import {
  GROUP_ON_DEMAND_MEMBERS,
  type ProvisionGroupResultView,
  type ProvisionStep,
} from "../../../shared/ipc/provision-model";
import type { CliContext } from "../context";
import { CliError, EXIT, exitCodeForOutcome, type ExitCode } from "../exit-codes";
import { cycleJson, formatCycle } from "../format";

const formatChecks = (checks: ConnectionCheck[]) =>
  checks
    .map(
      (check) =>
        `${check.ok ? "ok  " : "FAIL"}  ${check.name}: ${check.message}${check.detail && !check.ok ? `\n        ${check.detail}` : ""}\n`,
    )
    .join("");

/** Provision-on-demand steps, one a line: status, name, detail; the scope rules and request ids below. */
function formatSteps(steps: ProvisionStep[], indent: string): string {
  return steps
    .map((step) => {
      const rules = (step.rules ?? []).map((rule) => `${indent}           ${rule.outcome.padEnd(4)} ${rule.message}\n`);
      const requests = step.requestIds?.length ? `${indent}           requests: ${step.requestIds.join("; ")}\n` : "";
      return `${indent}${step.status.padEnd(7)}  ${step.name}: ${step.detail}\n${rules.join("")}${requests}`;
    })
    .join("");
}

/** The group's steps, then each member provisioned with it: its steps and whether it is in the target group now. */
function formatGroupTrace(result: ProvisionGroupResultView): string {
  const members = result.members.map(
    (m) =>
      `\n  ${m.displayName}${m.userPrincipalName ? ` (${m.userPrincipalName})` : ""}: ${m.membershipDetail}\n${formatSteps(m.steps, "    ")}`,
  );
  const heading = result.members.length
    ? `\nMembers provisioned with the group (${result.members.length} of ${result.choice?.userMembers ?? 0}):\n`
    : "";
  // Which members were chosen only matters once the group got as far as its action.
  const choice = result.choice && result.steps.at(-1)?.name === "Perform action" ? `\n${result.choice.reason}\n` : "";
  return `${formatSteps(result.steps, "")}${choice}${heading}${members.join("")}`;
}

/** What a finished phase did, for the human output on stderr (the marker phases gates and commit say nothing). */
const PHASE_DONE: Partial<Record<Progress["phase"], (p: Progress) => string>> = {
  read: ({ counts }) => `read ${counts.usersRead} users and ${counts.groupsRead} groups from Entra ID`,
  match: (p) => `listed ${p.total} objects in the target`,
  scope: (p) => `decided scope for ${p.total} objects`,
  evaluate: ({ counts }) => `evaluated the mappings for ${counts.evaluated} of ${counts.toEvaluate} objects`,
  diff: (p) => `compared the members of ${p.total} groups`,
  apply: ({ counts }) => `applied ${counts.applied} of ${counts.toApply} changes`,
};

/** Default wait of a bare `sync --wait`: long enough for a first cycle of a large directory. */
const DEFAULT_WAIT_SECONDS = 3600;

const waitSeconds = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a number of seconds (0 or more)");
  return n;
};

const idList = (value: string) =>
  value
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);

/** The plan for a person: per item its id (for --reject), action, name and attribute changes. */
function formatPlan(plan: PlanView): string {
  const lines = plan.items.map((i) => {
    const what = i.group ? `${i.displayName} in ${i.group.displayName}` : `${i.objectType} ${i.displayName}`;
    const changes = i.changes.map(
      (c) => `\n      ${c.attribute}: ${JSON.stringify(c.old)} -> ${JSON.stringify(c.new)}`,
    );
    return `  ${i.kind.padEnd(12)} ${what}  [${i.id}]${changes.join("")}\n`;
  });
  return `Plan ${plan.id} (cycle ${plan.cycleId}, ${plan.items.length} items):\n${lines.join("")}`;
}

async function readPlanFile(file: string): Promise<PlanView> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}. Check the path and try again.`, EXIT.usage);
  }
  const parsed = PlanViewSchema.safeParse(
    (() => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return null;
      }
    })(),
  );
  if (!parsed.success)
    throw new CliError(
      `${file} is not a plan saved by \`sync --dry-run --save-plan\`. Save the plan again and apply that file.`,
      EXIT.usage,
    );
  return parsed.data;
}

function reportApply(ctx: CliContext, result: PlanApplyResult, json: boolean): ExitCode {
  if (json) ctx.json(result.status === "applied" ? { status: "applied", ...cycleJson(result.summary) } : result);
  if (result.status === "applied") {
    if (!json) ctx.out(formatCycle(result.summary));
    return exitCodeForOutcome(result.summary.outcome);
  }
  if (!json) {
    ctx.out(
      `Entra ID changed ${result.changes.length} of the approved items since the preview. Nothing was applied.\n` +
        result.changes
          .map(
            (c) =>
              `  ${c.change === "gone" ? "no longer planned" : "now planned differently"}: ${c.displayName} [${c.itemId}]\n`,
          )
          .join("") +
        `Review the plan as it stands now (sync --dry-run) and apply that one.\n`,
    );
  }
  return EXIT.failures;
}

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
    .option("--dry-run", "print the whole plan without changing the target (the log records only that a preview ran)")
    .option("--full", "an initial cycle: read everything again instead of the changes since the last cycle")
    .option("--allow-deletes", "allow this one cycle to exceed the deletion threshold")
    .option("--json", 'print the cycle summary as one JSON object (with --dry-run: and its plan, under "plan")')
    .option("--save-plan <file>", "with --dry-run: write the plan to a file, to apply with apply-plan")
    .option(
      "--wait [seconds]",
      `if a cycle is running (app, another sync), wait for it to finish instead of failing (default ${DEFAULT_WAIT_SECONDS} s)`,
      waitSeconds,
    )
    .action(
      (options: {
        dryRun?: boolean;
        full?: boolean;
        allowDeletes?: boolean;
        json?: boolean;
        wait?: number | true;
        savePlan?: string;
      }) =>
        ctx.run(async () => {
          if (options.savePlan && !options.dryRun)
            throw new CliError("--save-plan needs --dry-run: only a preview is saved to apply later.", EXIT.usage);
          const service = await ctx.openService();
          if (!options.json) {
            service.on("cycle.progress", (progress) => {
              const done = PHASE_DONE[progress.phase];
              if (done && progress.total > 0 && progress.done === progress.total)
                ctx.io.stderr.write(`  ${done(progress)}\n`);
            });
          }
          const wait = options.wait === true ? DEFAULT_WAIT_SECONDS : (options.wait ?? 0);
          const { summary, failure, planId } = await service.runCycle(
            { dryRun: !!options.dryRun, full: !!options.full, allowDeletes: !!options.allowDeletes },
            {
              waitMs: wait * 1000,
              onWait: ({ holder }) =>
                ctx.io.stderr.write(
                  `A cycle is already running${holder ? ` in ${holder.owner} (process ${holder.pid})` : ""}: waiting up to ${wait} s for it to finish.\n`,
                ),
            },
          );
          const plan = options.dryRun && planId ? service.getPlan({ planId }) : null;
          if (plan && options.savePlan)
            await writeFile(options.savePlan, JSON.stringify(plan, null, 2), { mode: 0o600 });
          if (options.json) ctx.json(plan ? { ...cycleJson(summary), plan } : cycleJson(summary));
          else {
            ctx.out(formatCycle(summary));
            if (plan) ctx.out(formatPlan(plan));
            if (plan && options.savePlan) ctx.out(`Plan saved to ${options.savePlan}: apply it with apply-plan.\n`);
          }
          if (failure?.kind === "auth") return EXIT.authOrQuarantine;
          return exitCodeForOutcome(summary.outcome);
        }),
    );

  program
    .command("apply-plan")
    .description(
      "apply a plan saved by sync --dry-run --save-plan: exactly its items (held deletions among them allowed once), unless Entra changed them since",
    )
    .argument("<file>", "the saved plan")
    .option("--reject <ids>", "comma-separated item ids to leave out", idList)
    .option("--json", "print the result as one JSON object")
    .action((file: string, options: { reject?: string[]; json?: boolean }) =>
      ctx.run(async () => {
        const plan = await readPlanFile(file);
        const service = await ctx.openService();
        const result = await service.applySavedPlan(plan, { approved: "all", rejected: options.reject ?? [] });
        return reportApply(ctx, result, !!options.json);
      }),
    );

  program
    .command("restart")
    .description(
      "restart provisioning: the next sync reads everything again (delta links, escrow and quarantine cleared, links kept)",
    )
    .action(() =>
      ctx.run(async () => {
        const service = await ctx.openService();
        service.restart();
        ctx.out("Provisioning restarted: the next sync is a full cycle. Links to target objects were kept.\n");
        return EXIT.ok;
      }),
    );

  program
    .command("provision")
    .description(
      "provision one user, or a group with up to 5 of its members, on demand and show each step as Entra ID does",
    )
    .option("--user <upnOrId>", "the user's userPrincipalName or object id")
    .option("--group <nameOrId>", "the group's display name or object id")
    .option(
      "--member <upnOrId>",
      `with --group: a member to provision with it (repeat, at most ${GROUP_ON_DEMAND_MEMBERS}); default: the first ${GROUP_ON_DEMAND_MEMBERS} by name, those not in the target group yet first`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--json", "print the trace as JSON")
    .action((options: { user?: string; group?: string; member?: string[]; json?: boolean }) =>
      ctx.run(async () => {
        if (!options.user === !options.group)
          throw new CliError("Give either --user UPN|ID or --group NAME|ID.", EXIT.usage);
        if (options.member && !options.group) throw new CliError("--member goes with --group.", EXIT.usage);
        if ((options.member?.length ?? 0) > GROUP_ON_DEMAND_MEMBERS)
          throw new CliError(
            `Give at most ${GROUP_ON_DEMAND_MEMBERS} --member: Entra ID provisions no more of a group's members on demand.`,
            EXIT.usage,
          );
        const service = await ctx.openService();
        const result = options.group
          ? await service.provisionGroup(options.group, options.member)
          : await service.provisionOne(options.user!);
        if (options.json) ctx.json(result);
        else ctx.out("members" in result ? formatGroupTrace(result) : formatSteps(result.steps, ""));
        const steps = [...result.steps, ...("members" in result ? result.members.flatMap((m) => m.steps) : [])];
        if (!steps.some((step) => step.status === "Failure")) return EXIT.ok;
        if (result.failureKind === "notFound") return EXIT.usage;
        return result.failureKind === "auth" ? EXIT.authOrQuarantine : EXIT.failures;
      }),
    );
}
