import type { Command } from "commander";
import type { ProvisionDeskService } from "../engine/service/types";
import { errorDetail, errorKind } from "../engine/service/errors";
import { defaultDataDir } from "./data-dir";
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

  get dataDir(): string {
    return this.globals.dataDir ?? defaultDataDir(this.io.env, this.io.platform);
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
