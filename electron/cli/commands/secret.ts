import { Argument, type Command } from "commander";
import { SECRET_ENV_VARS } from "../../engine/secrets/env-override";
import { SECRET_NAMES, type SecretName } from "../../engine/secrets/secret-store";
import type { CliContext } from "../context";
import { CliError, EXIT } from "../exit-codes";

async function readAll(stdin: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<string> {
  let text = "";
  for await (const chunk of stdin) text += chunk.toString();
  // Only the line end a shell or `echo` adds; a secret may legitimately contain other whitespace.
  return text.replace(/\r?\n$/, "");
}

export function registerSecret(program: Command, ctx: CliContext): void {
  const secret = program.command("secret").description("manage the profile's secrets in the OS keychain");
  secret
    .command("set")
    .addArgument(new Argument("<name>", "which secret").choices(SECRET_NAMES))
    .description("store a secret read from standard input in the OS keychain")
    .action((name: SecretName) =>
      ctx.run(async () => {
        const value = await readAll(ctx.io.stdin);
        if (value === "")
          throw new CliError(
            `No ${name} was given on standard input. Pipe it in, e.g. "provision-desk secret set ${name} < file".`,
            EXIT.usage,
          );
        const service = await ctx.openService();
        await service.setSecret(name, value);
        ctx.out(
          `Stored the ${name} for profile "${service.profile()?.name ?? ctx.globals.profile ?? "default"}" in the OS keychain.\n`,
        );
        const variable = SECRET_ENV_VARS[name];
        if (variable && ctx.io.env[variable])
          ctx.out(`Note: ${variable} is set in this environment and is used instead while it is.\n`);
      }),
    );
}
