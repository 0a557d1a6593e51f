import type { CycleSummary } from "../../../shared/ipc/model";
import type { EngineErrorKind } from "../service/errors";

/** Each reason is mailed once when it opens (or its fingerprint changes) and once more when it clears. */
export type AlertReason = "credentials" | "quarantine" | "cycle-failed" | "safety-gate" | "escrow";

export interface OpenReason {
  reason: AlertReason;
  /** Stable while the problem is the same; a different fingerprint is a new alert. Never a message with ids in it. */
  fingerprint: string;
  subject: string;
  /** What happened and what to do, in words. */
  detail: string;
}

/** How a cycle (or an attempt that could not start) ended, as the alerts see it. */
export interface CycleOutcomeInput {
  /** Null when the cycle did not start (missing secret, unreadable configuration). */
  summary: CycleSummary | null;
  failureKind: EngineErrorKind | null;
  /** The error of a cycle that did not start. */
  error?: string;
}

const GATE_SUBJECT = {
  stoppedByDeletionThreshold: "a cycle stopped at the deletion threshold",
  stoppedByCanary: "a cycle stopped because Entra returned far fewer objects",
} as const;

/**
 * The reasons open after this outcome, or null when the outcome says nothing new (a dry run, a cancelled cycle,
 * one that found another running): then no alert opens or clears.
 */
export function openReasons(input: CycleOutcomeInput, escrow: { count: number; limit: number }): OpenReason[] | null {
  const { summary, failureKind } = input;
  if (summary?.dryRun || summary?.outcome === "cancelled" || failureKind === "locked") return null;
  const error = summary?.error ?? input.error ?? "see the log";
  const reasons: OpenReason[] = [];
  const outcome = summary?.outcome ?? "failed";
  if (failureKind === "auth") {
    reasons.push({
      reason: "credentials",
      fingerprint: outcome === "quarantined" ? "auth-quarantined" : "auth",
      subject: "a credential was refused; provisioning is stopped",
      detail:
        `${error}\n\nNothing more is sent until the credential is fixed. ` +
        "Replace the client secret or SCIM token under Connections (or provision-desk secret set …), then run a cycle.",
    });
  } else if (outcome === "quarantined") {
    reasons.push({
      reason: "quarantine",
      fingerprint: "quarantined",
      subject: "provisioning is in quarantine",
      detail: `${error}\n\nCycles now run at most every 6 hours, then 12, then daily. Fix the cause shown in the log, then run a cycle.`,
    });
  } else if (outcome === "failed") {
    reasons.push({
      reason: "cycle-failed",
      fingerprint: failureKind ?? "other",
      subject: summary ? "a provisioning cycle failed" : "a provisioning cycle could not start",
      detail: `${error}\n\nThe next cycle tries again; the log has the detail.`,
    });
  } else if (outcome === "stoppedByDeletionThreshold" || outcome === "stoppedByCanary") {
    reasons.push({ reason: "safety-gate", fingerprint: outcome, subject: GATE_SUBJECT[outcome], detail: error });
  }
  if (escrow.count > escrow.limit) {
    reasons.push({
      reason: "escrow",
      fingerprint: "over-limit",
      subject: `more than ${escrow.limit} objects are failing`,
      detail:
        `${escrow.count} users and groups failed and wait to be retried (the alert limit is ${escrow.limit}). ` +
        "The log shows each one's error and the recommended fix.",
    });
  }
  return reasons;
}

/** What the "resolved" mail says for a reason that cleared. */
export const RESOLVED: Record<AlertReason, string> = {
  credentials: "the credentials are accepted again",
  quarantine: "provisioning left quarantine",
  "cycle-failed": "cycles complete again",
  "safety-gate": "cycles are no longer stopped by a safety gate",
  escrow: "the number of failing objects is back under the limit",
};
