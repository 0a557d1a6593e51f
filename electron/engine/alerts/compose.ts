import type { CycleSummary } from "../../../shared/ipc/model";
import type { AlertMail } from "./mailer";
import { RESOLVED, type AlertReason, type OpenReason } from "./reasons";

const FOOTER =
  "\n\n--\nProvisionDesk sends one mail per problem, and one more when it is resolved. " +
  "Recipients are set in the profile (alerts.email).\n";

const subject = (profile: string, text: string) => `[ProvisionDesk] ${profile}: ${text}`;

function cycleLine(summary: CycleSummary | null): string {
  if (!summary) return "";
  return `\n\nCycle ${summary.id} (${summary.kind}), started ${summary.startedAt}, ended as ${summary.outcome}.`;
}

export function openedMail(profile: string, reason: OpenReason, summary: CycleSummary | null): AlertMail {
  return {
    subject: subject(profile, reason.subject),
    text: `Profile "${profile}": ${reason.subject}.\n\n${reason.detail}${cycleLine(summary)}${FOOTER}`,
  };
}

export function resolvedMail(profile: string, reason: AlertReason, openedAt: string, at: Date): AlertMail {
  return {
    subject: subject(profile, `resolved: ${RESOLVED[reason]}`),
    text: `Profile "${profile}": resolved — ${RESOLVED[reason]} (${at.toISOString()}; the problem was first seen ${openedAt}).${FOOTER}`,
  };
}

export function testMail(profile: string, at: Date): AlertMail {
  return {
    subject: subject(profile, "test message"),
    text: `This is a test of ProvisionDesk's alert email for profile "${profile}", sent ${at.toISOString()}. Alerts will reach this address.${FOOTER}`,
  };
}

export function digestMail(profile: string, cycles: CycleSummary[], open: string[], at: Date): AlertMail {
  const lines = cycles.map((c) => {
    const n = c.counts;
    const changes = [n.users, n.groups].reduce((s, x) => s + x.create + x.update + x.disable + x.delete, 0);
    const failed = n.users.failed + n.groups.failed;
    return `  #${c.id} ${c.startedAt} ${c.outcome}: ${changes} changes, ${failed} failed`;
  });
  return {
    subject: subject(profile, `daily summary, ${cycles.length} cycles`),
    text:
      `Profile "${profile}", the 24 hours to ${at.toISOString()}:\n\n${lines.join("\n") || "  no cycles ran"}\n\n` +
      `Open problems: ${open.length ? open.join("; ") : "none"}.${FOOTER}`,
  };
}

/** Defence in depth: an error text that quotes a secret (a server echoing a header) never reaches a mailbox. */
export function redact(mail: AlertMail, secrets: (string | null)[]): AlertMail {
  const values = secrets.filter((s): s is string => !!s && s.length >= 4);
  const scrub = (text: string) => values.reduce((t, s) => t.split(s).join("[secret removed]"), text);
  return { subject: scrub(mail.subject), text: scrub(mail.text) };
}
