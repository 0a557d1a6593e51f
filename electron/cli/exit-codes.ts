import type { CycleOutcome } from "../../shared/ipc/model";
import { errorKind } from "../engine/service/errors";

/** The CLI's public exit codes (documented in the README; scripts branch on them). */
export const EXIT = {
  ok: 0,
  failures: 1,
  usage: 2,
  safetyGate: 3,
  authOrQuarantine: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeForOutcome(outcome: CycleOutcome): ExitCode {
  switch (outcome) {
    case "succeeded":
      return EXIT.ok;
    case "stoppedByDeletionThreshold":
    case "stoppedByCanary":
      return EXIT.safetyGate;
    case "quarantined":
      return EXIT.authOrQuarantine;
    default:
      return EXIT.failures;
  }
}

/** The exit code for an error thrown by the engine, from its kind (the same mapping the window's codes come from). */
export function exitCodeForError(error: unknown): ExitCode {
  switch (errorKind(error)) {
    case "notConfigured":
    case "config":
    case "blocked":
    case "secretStore":
    case "notFound": // a --user that does not exist is a usage error
      return EXIT.usage;
    case "auth":
      return EXIT.authOrQuarantine;
    default:
      return EXIT.failures;
  }
}

/** An error the CLI reports in words and ends with a given exit code. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly detail?: string,
  ) {
    super(message);
  }
}
