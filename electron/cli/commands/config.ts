import { readFile, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import type { Command } from "commander";
import type { Profile } from "../../../shared/config/profile";
import { parseProfileJson, profileJsonSchema } from "../../engine/service/profile-io";
import type { CliContext } from "../context";
import { CliError, EXIT } from "../exit-codes";

export function registerConfig(program: Command, ctx: CliContext): void {
  const config = program.command("config").description("import, export or describe the profile");

  config
    .command("import")
    .argument("<file>", "profile JSON file")
    .description("validate and store a profile (errors name the JSON path)")
    .action((file: string) =>
      ctx.run(async () => {
        let text: string;
        try {
          text = await readFile(file, "utf8");
        } catch (error) {
          throw new CliError(
            `Cannot read ${file}: ${(error as Error).message}. Check the path and try again.`,
            EXIT.usage,
          );
        }
        const profile = absolutePaths(parseProfileJson(text, file), dirname(resolve(file)));
        if (ctx.globals.profile) profile.name = ctx.globals.profile;
        const { problems } = await (await ctx.openService()).importProfile(profile);
        ctx.out(`Stored profile "${profile.name}" in ${ctx.dataDir}.\n`);
        for (const problem of problems) ctx.out(`${problem.severity}: ${problem.path}: ${problem.message}\n`);
        ctx.out(
          `Next: store the secrets with "provision-desk secret set client-secret" and "... scim-token", then run "provision-desk test-connection".\n`,
        );
      }),
    );

  config
    .command("export")
    .argument("[file]", "where to write it (default: standard output)")
    .description("write the profile as JSON (never any secret)")
    .action((file: string | undefined) =>
      ctx.run(async () => {
        const service = await ctx.openService();
        const profile = service.profile();
        if (!profile)
          throw new CliError(
            `No profile is stored in ${ctx.dataDir}. Import one with "provision-desk config import FILE".`,
            EXIT.usage,
          );
        const json = service.exportProfile();
        if (file) {
          await writeFile(file, json, { mode: 0o600 });
          ctx.out(`Wrote profile "${profile.name}" to ${file}.\n`);
        } else ctx.out(json);
      }),
    );

  config
    .command("schema")
    .description("print the profile's JSON Schema")
    .action(() => ctx.run(async () => ctx.json(profileJsonSchema())));
}

/** Files a profile names are relative to the profile file, wherever the CLI runs later: store them absolute. */
function absolutePaths(profile: Profile, base: string): Profile {
  const abs = (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  const { source, target } = profile;
  return {
    ...profile,
    source: {
      ...source,
      ...(source.caFile ? { caFile: abs(source.caFile) } : {}),
      credential:
        source.credential.type === "certificate"
          ? {
              ...source.credential,
              certificateFile: abs(source.credential.certificateFile),
              privateKeyFile: abs(source.credential.privateKeyFile),
            }
          : source.credential,
    },
    target: { ...target, ...(target.caFile ? { caFile: abs(target.caFile) } : {}) },
  };
}
