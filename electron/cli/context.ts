import type { Command } from "commander";
import type { SchedulerClock } from "../engine/scheduler";
import type { ProvisionDeskService } from "../engine/service/types";
import { toAppError } from "../engine/service/errors";
import { resolveDataDir } from "./data-dir";
import { CliError, EXIT, exitCodeForError, type ExitCode } from "./exit-codes";

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
  async openService(options: { scheduled?: boolean; clock?: SchedulerClock } = {}): Promise<ProvisionDeskService> {
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
        clock: options.clock,
        owner: `the provision-desk CLI (${this.io.argv.join(" ")})`,
        onNotice: (message) => this.io.stderr.write(`Warning: ${message}\n`),
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

  /** The same mapping as the window's (toAppError): the admin's message, the detail on request, and the exit code. */
  report(error: unknown): void {
    const verbose = this.globals.verbose === true;
    if (error instanceof CliError) {
      this.io.stderr.write(`Error: ${error.message}\n`);
      if (error.detail && verbose) this.io.stderr.write(`${error.detail}\n`);
      this.exitCode = error.exitCode;
      return;
    }
    const mapped = toAppError(error);
    this.io.stderr.write(`Error: ${mapped.message}\n`);
    if (verbose) {
      this.io.stderr.write(`Code: ${mapped.code}\n`);
      if (mapped.detail) this.io.stderr.write(`${mapped.detail}\n`);
      // A bug's stack helps whoever fixes it; only here, never in the window or browser mode.
      if (mapped.code === "INTERNAL" && error instanceof Error && error.stack) this.io.stderr.write(`${error.stack}\n`);
    } else if (mapped.detail) {
      this.io.stderr.write("(Run again with --verbose for technical detail.)\n");
    }
    this.exitCode = exitCodeForError(error);
  }
}
