import type { Command } from "commander";
import type { ProvisionDeskService } from "../engine/service/types";
import { errorDetail, errorKind } from "../engine/service/errors";
import { resolveDataDir } from "./data-dir";
import { CliError, EXIT, type ExitCode } from "./exit-codes";

/** Everything the CLI touches in the outside world, injected so main() runs in tests without a process. */
export interface CliIo {
  /** Arguments after the program name. */
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdin: AsyncIterable<string | Buffer> | Iterable<string | Buffer>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  platform?: NodeJS.Platform;
  /** Resolves when a long-running command (serve) should stop; default: SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
}

export interface GlobalOptions {
  dataDir?: string;
  profile?: string;
  verbose?: boolean;
}

export class CliContext {
  exitCode: ExitCode = EXIT.ok;
  private service: ProvisionDeskService | null = null;

  constructor(
    readonly io: CliIo,
    private readonly program: Command,
  ) {}

  get globals(): GlobalOptions {
    return this.program.opts<GlobalOptions>();
  }

  private resolved: string | null = null;

  /** --data-dir, else the folder the app uses too (moving an earlier version's folder there, once, and saying so). */
  get dataDir(): string {
    if (this.globals.dataDir) return this.globals.dataDir;
    if (this.resolved === null) {
      const { dir, notice } = resolveDataDir(this.io.env, this.io.platform);
      if (notice) this.io.stderr.write(`Note: ${notice}\n`);
      this.resolved = dir;
    }
    return this.resolved;
  }

  out(text: string): void {
    this.io.stdout.write(text);
  }

  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /**
   * The engine for this data folder and profile; one-shot commands never start the scheduler.
   * Loaded on first use so that help and usage errors answer without loading the engine.
   */
  async openService(options: { scheduled?: boolean } = {}): Promise<ProvisionDeskService> {
    if (!this.service) {
      const [{ createEngineService }, { createSystemSecretStore }] = await Promise.all([
        import("../engine/service/service"),
        import("../engine/secrets"),
      ]);
      this.service = createEngineService({
        dataDir: this.dataDir,
        profileName: this.globals.profile ?? this.io.env.PROVISIONDESK_PROFILE,
        secrets: createSystemSecretStore(this.io.env),
        scheduled: options.scheduled ?? false,
        owner: `the provision-desk CLI (${this.io.argv.join(" ")})`,
        // Warnings (e.g. a damaged state database set aside) go to stderr; errors are reported once, by run().
        logger: { info: () => undefined, warn: (m) => this.io.stderr.write(`Warning: ${m}\n`), error: () => undefined },
      });
    }
    return this.service;
  }

  /** Runs a command body: its result is the exit code, and an error is reported in words with the matching code. */
  async run(body: () => Promise<ExitCode | void>): Promise<void> {
    try {
      this.exitCode = (await body()) ?? EXIT.ok;
    } catch (error) {
      this.report(error);
    } finally {
      await this.service?.close();
      this.service = null;
    }
  }

  report(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.io.stderr.write(`Error: ${message}\n`);
    const detail = error instanceof CliError ? error.detail : errorDetail(error);
    if (detail && this.globals.verbose) this.io.stderr.write(`${detail}\n`);
    else if (detail && !(error instanceof CliError))
      this.io.stderr.write("(Run again with --verbose for technical detail.)\n");
    this.exitCode = error instanceof CliError ? error.exitCode : exitCodeForError(error);
  }
}

export function exitCodeForError(error: unknown): ExitCode {
  switch (errorKind(error)) {
    case "notConfigured":
    case "config":
    case "blocked":
    case "secretStore":
    case "notFound":
      return EXIT.usage;
    case "auth":
      return EXIT.authOrQuarantine;
    default:
      return EXIT.failures;
  }
}
