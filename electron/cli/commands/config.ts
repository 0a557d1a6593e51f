import { readFile, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { profileNameProblem, type Profile } from "../../../shared/config/profile";
import type { ProfileChange } from "../../../shared/ipc/model";
import {
  checkProfile,
  decodeProfileFile,
  hasErrors,
  profileJsonSchema,
  ProfileValidationError,
} from "../../engine/service/profile-io";
import type { CliContext } from "../context";
import { CliError, EXIT } from "../exit-codes";

const parseRevision = (text: string): number => {
  const revision = Number(text);
  if (!Number.isInteger(revision) || revision < 1)
    throw new InvalidArgumentError("a revision is a whole number, 1 or more");
  return revision;
};

export function registerConfig(program: Command, ctx: CliContext): void {
  const config = program.command("config").description("import, export or describe the profile");

  config
    .command("import")
    .argument("<file>", "profile JSON file")
    .option(
      "--base-revision <n>",
      "store only if the stored profile is still at revision N (else show what changed since); without it, an import replaces the stored profile",
      parseRevision,
    )
    .description("validate and store a profile, all or nothing (errors name the JSON path)")
    .action((file: string, options: { baseRevision?: number }) =>
      ctx.run(async () => {
        const override = ctx.globals.profile;
        const nameProblem = override === undefined ? null : profileNameProblem(override);
        if (nameProblem)
          throw new CliError(
            `The profile name ${JSON.stringify(override)} given with --profile cannot be used: ${nameProblem}. Nothing was stored.`,
            EXIT.usage,
          );
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch (error) {
          throw new CliError(
            `Cannot read ${file}: ${(error as Error).message}. Check the path and try again.`,
            EXIT.usage,
          );
        }
        const decoded = decodeProfileFile(bytes);
        if (decoded.problems.length > 0) throw new ProfileValidationError(decoded.problems, file);
        const value =
          override !== undefined && isObject(decoded.value) ? { ...decoded.value, name: override } : decoded.value;
        const checked = checkProfile(value);
        if (!checked.profile || hasErrors(checked.problems)) throw new ProfileValidationError(checked.problems, file);
        const profile = absolutePaths(checked.profile, dirname(resolve(file)));

        const result = await (await ctx.openService()).saveProfile(profile, options.baseRevision ?? "overwrite");
        if (result.status === "invalid") throw new ProfileValidationError(result.problems, file);
        if (result.status === "conflict") throw conflictError(profile.name, options.baseRevision!, result, file);
        const replaced = result.revision > 1 ? ` It replaced revision ${result.revision - 1}.` : "";
        ctx.out(`Stored profile "${profile.name}" as revision ${result.revision} in ${ctx.dataDir}.${replaced}\n`);
        for (const problem of result.problems) ctx.out(`${problem.severity}: ${problem.path}: ${problem.message}\n`);
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

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? "null";
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** The import was based on a revision that is no longer the stored one: say what changed, store nothing. */
function conflictError(
  name: string,
  base: number,
  conflict: { revision: number | null; changes: ProfileChange[] },
  file: string,
): CliError {
  if (conflict.revision === null)
    return new CliError(
      `No profile named "${name}" is stored any more (it was at revision ${base}), so nothing was stored. Import ${file} without --base-revision to create it.`,
      EXIT.usage,
    );
  const lines = conflict.changes.map(
    (c) => `  ${c.path || "(profile)"}: stored ${show(c.stored)}, in ${file}: ${show(c.submitted)}`,
  );
  return new CliError(
    `The profile "${name}" changed since revision ${base}: it is now at revision ${conflict.revision}, so nothing was stored.\n` +
      (lines.length > 0
        ? `What differs between the stored profile and ${file}:\n${lines.join("\n")}\n`
        : `The stored profile already has the same settings as ${file}.\n`) +
      `Merge your edits with the stored profile ("provision-desk config export") and import with --base-revision ${conflict.revision}, or import without --base-revision to replace it.`,
    EXIT.usage,
  );
}
