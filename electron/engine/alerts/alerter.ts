import type { Database } from "better-sqlite3";
import type { Profile } from "../../../shared/config/profile";
import type { AlertTestResult } from "../../../shared/ipc/model";
import {
  deleteAlert,
  escrowCount,
  lastDigestAt,
  listAlerts,
  listCycles,
  markAlertSent,
  putAlert,
  setDigestSent,
} from "../db";
import type { SecretStore } from "../secrets/secret-store";
import { EngineError } from "../service/errors";
import { digestMail, openedMail, redact, resolvedMail, testMail } from "./compose";
import { createMailer, type AlertMail, type Mailer } from "./mailer";
import { openReasons, type AlertReason, type CycleOutcomeInput } from "./reasons";

export interface AlerterDeps {
  db: Database;
  secrets: SecretStore;
  warn?: (message: string) => void;
  now?: () => Date;
}

const DAY = 86_400_000;

/**
 * Email alerts. The open alerts live in the state database, so the app and each one-shot CLI run agree on what
 * was already mailed: one mail when a reason opens (or changes), one "resolved" mail when it clears.
 */
export function createAlerter(deps: AlerterDeps) {
  const { db, secrets } = deps;
  const now = deps.now ?? (() => new Date());
  const warn = deps.warn ?? (() => undefined);

  const secretOf = (profile: string, name: "client-secret" | "scim-token" | "smtp-password") =>
    secrets.get(profile, name).catch(() => null);

  async function mailerFor(profile: Profile): Promise<Mailer | null> {
    const email = profile.alerts.email;
    if (!email) return null;
    const password = email.username ? await secretOf(profile.name, "smtp-password") : null;
    if (email.username && !password)
      throw new EngineError(
        "config",
        `Alert emails cannot be sent: the SMTP password for ${email.username} is not set. ` +
          "Store it with provision-desk secret set smtp-password (or set PROVISIONDESK_SMTP_PASSWORD).",
      );
    return createMailer(email, password);
  }

  /** Sends with every secret of the profile scrubbed from the text. */
  async function deliver(profile: Profile, mailer: Mailer, mail: AlertMail): Promise<string | null> {
    const known = await Promise.all(
      (["client-secret", "scim-token", "smtp-password"] as const).map((n) => secretOf(profile.name, n)),
    );
    return mailer.send(redact(mail, known));
  }

  async function tryDeliver(profile: Profile, mailer: Mailer, mail: AlertMail): Promise<boolean> {
    try {
      await deliver(profile, mailer, mail);
      return true;
    } catch (error) {
      warn(`Could not send the alert "${mail.subject}": ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  async function maybeDigest(profile: Profile, mailer: Mailer): Promise<void> {
    const at = now();
    const last = lastDigestAt(db, profile.name);
    if (!last) return setDigestSent(db, profile.name, at); // the first day starts now
    if (at.getTime() - Date.parse(last) < DAY) return;
    const since = new Date(at.getTime() - DAY).toISOString();
    const cycles = listCycles(db, profile.name, 500).filter((c) => c.startedAt >= since && !c.dryRun);
    const open = listAlerts(db, profile.name).map((a) => a.subject);
    if (await tryDeliver(profile, mailer, digestMail(profile.name, cycles, open, at)))
      setDigestSent(db, profile.name, at);
  }

  /** Clears the reasons this outcome no longer shows ("resolved" mail), then opens and mails the new ones. */
  async function update(profile: Profile, input: CycleOutcomeInput): Promise<void> {
    const reasons = openReasons(input, { count: escrowCount(db, profile.name), limit: profile.alerts.escrowLimit });
    if (!reasons) return;
    let mailer: Mailer | null = null;
    try {
      mailer = await mailerFor(profile);
    } catch (error) {
      warn(error instanceof Error ? error.message : String(error));
    }
    const open = new Map(listAlerts(db, profile.name).map((a) => [a.reason as AlertReason, a]));
    for (const [reason, alert] of open) {
      if (reasons.some((r) => r.reason === reason)) continue;
      // Only a problem that was mailed gets a "resolved" mail; a failed send is tried again after the next cycle.
      if (alert.sentAt && mailer) {
        if (!(await tryDeliver(profile, mailer, resolvedMail(profile.name, reason, alert.openedAt, now())))) continue;
      }
      deleteAlert(db, profile.name, reason);
    }
    for (const r of reasons) {
      const existing = open.get(r.reason);
      const same = existing?.fingerprint === r.fingerprint;
      if (!same) putAlert(db, profile.name, { ...r, openedAt: now().toISOString() });
      if ((same && existing?.sentAt) || !mailer) continue;
      if (await tryDeliver(profile, mailer, openedMail(profile.name, r, input.summary)))
        markAlertSent(db, profile.name, r.reason, now());
    }
    if (mailer && profile.alerts.dailyDigest) await maybeDigest(profile, mailer);
  }

  return {
    /** Opens, mails and clears alerts after a cycle (or an attempt that could not start). Never throws. */
    async afterCycle(profile: Profile, input: CycleOutcomeInput): Promise<void> {
      // An alert problem is reported, never allowed to turn a finished cycle into a failed one.
      await update(profile, input).catch((error: unknown) =>
        warn(`Alerts could not be updated: ${error instanceof Error ? error.message : String(error)}`),
      );
    },

    /** "Send test email": throws an EngineError that says what to fix when nothing could be sent. */
    async sendTest(profile: Profile): Promise<AlertTestResult> {
      const mailer = await mailerFor(profile);
      if (!mailer)
        throw new EngineError(
          "config",
          'No alert recipients are set. Add "alerts": {"email": {"smtpHost": …, "from": …, "to": [ … ]}} to the profile and import it again.',
        );
      try {
        const messageId = await deliver(profile, mailer, testMail(profile.name, now()));
        return { to: mailer.to, messageId };
      } catch (error) {
        const email = profile.alerts.email!;
        throw new EngineError(
          "other",
          `The test email was not sent: ${email.smtpHost}:${email.smtpPort} did not accept it. ` +
            "Check the SMTP host, port, security setting, user name and password.",
          error instanceof Error ? error.message : String(error),
        );
      }
    },
  };
}
