import { Command, CommanderError } from "commander";
import { registerAlerts } from "./commands/alerts";
import { registerConfig } from "./commands/config";
import { registerCycleCommands } from "./commands/cycle";
import { registerInspectCommands } from "./commands/inspect";
import { registerRun } from "./commands/run";
import { registerSecret } from "./commands/secret";
import { registerServe } from "./commands/serve";
import { CliContext, type CliIo } from "./context";
import { EXIT } from "./exit-codes";

const EPILOG = `
Exit codes: 0 cycle done without failures; 1 failures or the cycle failed; 2 usage or configuration error;
            3 stopped by a safety gate; 4 authentication failure or quarantine.
Environment: PROVISIONDESK_CLIENT_SECRET, PROVISIONDESK_SCIM_TOKEN and PROVISIONDESK_SMTP_PASSWORD, when set,
             are used instead of the keychain; PROVISIONDESK_DATA_DIR sets the data folder.`;

/** Runs the CLI once and returns its exit code; nothing here exits the process. */
export async function main(io: CliIo): Promise<number> {
  const program = new Command("provision-desk");
  const ctx = new CliContext(io, program);
  program
    .description("Provision users and groups from Microsoft Entra ID to Splashtop or any SCIM 2.0 app.")
    .option("--data-dir <dir>", "data folder (profiles, state, log)")
    .option("--profile <name>", "which profile to use")
    .option("--verbose", "print technical detail with errors")
    .addHelpText("after", EPILOG)
    .showHelpAfterError('(Run "provision-desk --help" for usage.)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  registerConfig(program, ctx);
  registerSecret(program, ctx);
  registerCycleCommands(program, ctx);
  registerInspectCommands(program, ctx);
  registerAlerts(program, ctx);
  registerServe(program, ctx);
  registerRun(program, ctx);

  try {
    await program.parseAsync(io.argv, { from: "user" });
  } catch (error) {
    // Asked-for help is a success; help shown because a command was missing, like any parse error, is a usage error.
    if (error instanceof CommanderError)
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? EXIT.ok : EXIT.usage;
    ctx.report(error);
  }
  return ctx.exitCode;
}

export async function runFromProcess(): Promise<void> {
  process.exitCode = await main({
    argv: process.argv.slice(2),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
