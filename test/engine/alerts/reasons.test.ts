import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAlerter } from "../../../electron/engine/alerts/alerter";
import { clearAllEscrow, escrowFailure, openDatabase, startCycle } from "../../../electron/engine/db";
import { createMemorySecretStore } from "../../../electron/engine/secrets";
import { ProfileSchema } from "../../../shared/config/profile";
import type { CycleSummary } from "../../../shared/ipc/model";
import { startSmtpSink, type SmtpSink } from "./smtp-sink";

const SMTP = { user: "mailer", password: "smtp-secret-91" };
let smtp: SmtpSink;
beforeEach(async () => {
  smtp = await startSmtpSink(SMTP);
});
afterEach(() => smtp.close());

async function world(options: { dailyDigest?: boolean; escrowLimit?: number } = {}) {
  const db = openDatabase(":memory:");
  const secrets = createMemorySecretStore();
  await secrets.set("p", "smtp-password", SMTP.password);
  let now = new Date("2026-12-01T08:00:00Z");
  const alerter = createAlerter({ db, secrets, now: () => now });
  const profile = ProfileSchema.parse({
    name: "p",
    source: { tenantId: "t", clientId: "c", appId: "a" },
    target: { tenantUrl: "https://scim.example.com/scim" },
    alerts: {
      email: {
        smtpHost: "127.0.0.1",
        smtpPort: smtp.port,
        security: "none",
        from: "pd@contoso.com",
        to: ["admin@contoso.com"],
        username: SMTP.user,
      },
      ...options,
    },
  });
  const cycle = async (outcome: CycleSummary["outcome"], extra: Partial<CycleSummary> = {}) => {
    const summary = { ...startCycle(db, "p", "incremental", false, now), outcome, error: `ended ${outcome}`, ...extra };
    await alerter.afterCycle(profile, { summary, failureKind: outcome === "failed" ? "other" : null });
  };
  const subjects = () => smtp.mails.map((m) => m.subject.replace("[ProvisionDesk] p: ", ""));
  return { db, alerter, cycle, subjects, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe("one mail per reason until it changes or clears", () => {
  it("safety gates: one mail, again only when the gate changes, nothing for a dry run, one 'resolved'", async () => {
    const w = await world();
    await w.cycle("stoppedByDeletionThreshold");
    await w.cycle("stoppedByDeletionThreshold");
    expect(w.subjects()).toEqual(["a cycle stopped at the deletion threshold"]);
    await w.cycle("stoppedByCanary");
    await w.cycle("failed", { dryRun: true }); // a preview neither opens nor clears anything
    await w.cycle("succeeded");
    await w.cycle("succeeded");
    expect(w.subjects()).toEqual([
      "a cycle stopped at the deletion threshold",
      "a cycle stopped because Entra returned far fewer objects",
      "resolved: cycles are no longer stopped by a safety gate",
    ]);
  });

  it("a failed cycle and escrow past the limit are separate reasons, each resolved on its own", async () => {
    const w = await world({ escrowLimit: 2 });
    for (const id of ["u1", "u2", "u3"]) escrowFailure(w.db, "p", "user", id, "rejected", new Date());
    await w.cycle("failed");
    expect(w.subjects()).toEqual(["a provisioning cycle failed", "more than 2 objects are failing"]);
    expect(smtp.mails[1]!.text).toContain("3 users and groups failed");
    await w.cycle("completedWithFailures");
    clearAllEscrow(w.db, "p");
    await w.cycle("succeeded");
    expect(w.subjects().slice(2)).toEqual([
      "resolved: cycles complete again",
      "resolved: the number of failing objects is back under the limit",
    ]);
  });

  it("an SMTP server that is down loses no alert: it is sent after the next cycle", async () => {
    const w = await world();
    const port = smtp.port;
    await smtp.close();
    await w.cycle("failed");
    smtp = await startSmtpSink(SMTP, port);
    expect(w.subjects()).toEqual([]);
    await w.cycle("failed");
    await w.cycle("failed");
    expect(w.subjects()).toEqual(["a provisioning cycle failed"]);
  });

  it("the daily digest goes out once a day, listing the day's cycles", async () => {
    const w = await world({ dailyDigest: true });
    await w.cycle("succeeded"); // starts the day
    w.advance(12 * 3_600_000);
    await w.cycle("succeeded");
    expect(w.subjects()).toEqual([]);
    w.advance(13 * 3_600_000);
    await w.cycle("succeeded");
    expect(w.subjects()).toEqual(["daily summary, 2 cycles"]);
    w.advance(3_600_000);
    await w.cycle("succeeded");
    expect(w.subjects()).toHaveLength(1);
  });
});
