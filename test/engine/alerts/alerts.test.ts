import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_SECRET } from "../../../electron/emulators/graph";
import { createAlerter } from "../../../electron/engine/alerts/alerter";
import { openDatabase, startCycle } from "../../../electron/engine/db";
import { createMemorySecretStore, type SecretStore } from "../../../electron/engine/secrets";
import type { ProvisionDeskService } from "../../../electron/engine/service";
import { ProfileSchema, type ProfileInput } from "../../../shared/config/profile";
import { emailAlertsVia, startSmtpSink, type SmtpSink } from "./smtp-sink";
import { useServiceWorld } from "../service/world";

const SMTP = { user: "alerts@contoso.com", password: "smtp-pa55-Xq81" };
const BAD_TOKEN = "refused-scim-token-7f3a9c";

const world = useServiceWorld({ seed: 5 });
let smtp: SmtpSink;
let lastOpened: ProvisionDeskService | undefined;

beforeEach(async () => {
  smtp = await startSmtpSink(SMTP);
});
afterEach(async () => {
  await smtp.close();
});

const profile = (overrides: Partial<ProfileInput> = {}) =>
  ProfileSchema.parse({
    ...world.profile("alerts"),
    alerts: emailAlertsVia(smtp, SMTP.user, ["it-admins@contoso.com", "oncall@contoso.com"]),
    ...overrides,
  });

async function secretsWith(scimToken: string): Promise<SecretStore> {
  const secrets = createMemorySecretStore();
  await secrets.set("alerts", "client-secret", DEFAULT_CLIENT_SECRET);
  await secrets.set("alerts", "scim-token", scimToken);
  await secrets.set("alerts", "smtp-password", SMTP.password);
  return secrets;
}

/** A fresh engine on the data folder each time, as each `provision-desk sync` run of a scheduled task is. */
async function open(dataDir: string, secrets: SecretStore, input?: ReturnType<typeof profile>) {
  const { service } = world.openService({ dataDir, secrets });
  lastOpened = service;
  if (input) await service.importProfile(input);
  return service;
}

const run = (service: ProvisionDeskService) =>
  service.provisionNow({ dryRun: false, full: false, allowDeletes: false });

function expectNoSecret(text: string) {
  for (const secret of [BAD_TOKEN, world.scim.token, DEFAULT_CLIENT_SECRET, SMTP.password])
    expect(text).not.toContain(secret);
}

describe("email alerts through a real SMTP server", () => {
  it("a refused SCIM token mails once, a second failing cycle mails nothing, fixing it mails one 'resolved'", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pd-alerts-"));
    const secrets = await secretsWith(BAD_TOKEN);

    const first = await run(await open(dataDir, secrets, profile()));
    expect(first.outcome).toBe("quarantined");
    expect(smtp.mails).toHaveLength(1);
    const [alert] = smtp.mails;
    expect(alert!.subject).toBe("[ProvisionDesk] alerts: a credential was refused; provisioning is stopped");
    expect(alert!.to).toEqual(["it-admins@contoso.com", "oncall@contoso.com"]);
    expect(alert!.user).toBe(SMTP.user);
    expect(alert!.text).toContain("rejected the token (401)");
    expect(alert!.text).toContain(`Cycle ${first.id}`);

    // The failed cycle has a log entry of its own, saying why and what to do.
    const service = lastOpened!;
    const [entry] = service.logs({ cycleId: first.id, objectType: ["cycle"], limit: 10 }).entries;
    expect(entry).toMatchObject({ status: "Failure", errorCode: "Unauthorized", action: "Other" });
    expect(entry!.message).toMatch(/rejected the token/);
    await world.closeService(service);

    // The next run (another process in real life) knows the alert was sent.
    const second = await run(await open(dataDir, secrets));
    expect(second.outcome).toBe("quarantined");
    expect(smtp.mails).toHaveLength(1);

    await secrets.set("alerts", "scim-token", world.scim.token);
    const fixed = await run(await open(dataDir, secrets));
    expect(fixed.outcome).toBe("succeeded");
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[1]!.subject).toBe("[ProvisionDesk] alerts: resolved: the credentials are accepted again");

    const again = await run(await open(dataDir, secrets));
    expect(again.outcome).toBe("succeeded");
    expect(smtp.mails).toHaveLength(2);
    for (const mail of smtp.mails) expectNoSecret(mail.raw);
  });

  it("a cycle that cannot start (the SCIM token is missing) is logged and mailed as such", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pd-alerts-"));
    const secrets = await secretsWith(world.scim.token);
    await secrets.delete("alerts", "scim-token");
    const service = await open(dataDir, secrets, profile());
    await expect(run(service)).rejects.toThrow(/SCIM secret token/);
    const [entry] = service.logs({ objectType: ["cycle"], limit: 10 }).entries;
    expect(entry?.message).toMatch(/^The cycle did not start: .*SCIM secret token/);
    expect(smtp.mails.map((m) => m.subject)).toEqual(["[ProvisionDesk] alerts: a provisioning cycle could not start"]);
  });

  it("a secret quoted in an error (a server echoing the header) is removed before the mail is sent", async () => {
    const db = openDatabase(":memory:");
    const secrets = await secretsWith(BAD_TOKEN);
    const alerter = createAlerter({ db, secrets });
    const started = startCycle(db, "alerts", "incremental", false, new Date());
    const summary = {
      ...started,
      outcome: "failed" as const,
      error: `Target said: "Authorization: Bearer ${BAD_TOKEN}" (client_secret=${DEFAULT_CLIENT_SECRET}; pw ${SMTP.password})`,
    };
    smtp.mails.length = 0;
    await alerter.afterCycle(profile(), { summary, failureKind: "other" });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.text).toContain('"Authorization: Bearer [secret removed]"');
    expectNoSecret(smtp.mails[0]!.raw);
  });

  it("send test email: reaches every recipient, and a wrong password is explained in words", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pd-alerts-"));
    const secrets = await secretsWith(world.scim.token);
    const service = await open(dataDir, secrets, profile());
    expect(await service.sendTestAlert()).toMatchObject({ to: ["it-admins@contoso.com", "oncall@contoso.com"] });
    expect(smtp.mails.map((m) => m.subject)).toEqual(["[ProvisionDesk] alerts: test message"]);
    expectNoSecret(smtp.mails[0]!.raw);

    await secrets.set("alerts", "smtp-password", "wrong");
    await expect(service.sendTestAlert()).rejects.toMatchObject({
      message: expect.stringMatching(
        /did not accept it\. Check the SMTP host, port, security setting, user name and password/,
      ),
    });
    // "starttls" never falls back to plain text: a server without STARTTLS never sees the password.
    await secrets.set("alerts", "smtp-password", SMTP.password);
    const logins = smtp.logins;
    const plain = profile();
    await service.importProfile({
      ...plain,
      alerts: { ...plain.alerts, email: { ...plain.alerts.email!, security: "starttls" } },
    });
    await expect(service.sendTestAlert()).rejects.toThrow(/did not accept it/);
    expect(smtp.logins).toBe(logins);
    expect(smtp.mails).toHaveLength(1);

    await service.importProfile(profile({ alerts: {} }));
    await expect(service.sendTestAlert()).rejects.toThrow(/No alert recipients are set/);
  });
});
