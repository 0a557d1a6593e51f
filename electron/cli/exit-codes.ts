import type { CycleOutcome } from "../../shared/ipc/model";

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
