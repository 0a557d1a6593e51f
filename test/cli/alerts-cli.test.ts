import { emulatorProfile } from "../../electron/demo/emulator-profile";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_SECRET, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { emailAlertsVia, startSmtpSink, type SmtpSink } from "../engine/alerts/smtp-sink";
import { runCli, tempDir, writeJson } from "./run-cli";

// A scheduled task runs `provision-desk sync` again and again: a refused token must reach the admin once, not each run.
const SMTP = { user: "alerts", password: "smtp-Pw-4471" };
const BAD_TOKEN = "expired-token-55aa";
let graph: GraphEmulator;
let scim: ScimServer;
let smtp: SmtpSink;
let data: string;

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: 9 });
  scim = await startScimServer();
  smtp = await startSmtpSink(SMTP);
  const dir = tempDir("pd-cli-alerts-");
  const caFile = join(dir, "graph-ca.pem");
  writeFileSync(caFile, graph.caPem);
  const profileFile = writeJson(dir, "profile.json", {
    ...emulatorProfile("nightly", "Contoso Entra SSO", { graph, scimUrl: scim.tenantUrl, caFile }),
    alerts: emailAlertsVia(smtp, SMTP.user, ["admin@contoso.com"]),
  });
  data = join(dir, "data");
  expect((await runCli(["--data-dir", data, "config", "import", profileFile])).code).toBe(0);
});

afterAll(async () => {
  await graph?.close();
  await scim?.close();
  await smtp?.close();
});

const cli = (token: string, ...args: string[]) =>
  runCli(["--data-dir", data, ...args], {
    env: {
      PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
      PROVISIONDESK_SCIM_TOKEN: token,
      PROVISIONDESK_SMTP_PASSWORD: SMTP.password,
    },
  });

describe("alerts from the CLI", () => {
  it("alerts test sends a test email and says where it went", async () => {
    const sent = await cli(scim.token, "alerts", "test");
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toBe("Sent a test email to admin@contoso.com.\n");
    expect(smtp.mails.map((m) => m.subject)).toEqual(["[ProvisionDesk] nightly: test message"]);
  });

  it("scheduled syncs with a refused token mail the admin exactly once, then once more when fixed", async () => {
    smtp.mails.length = 0;
    for (let run = 0; run < 2; run++) {
      const sync = await cli(BAD_TOKEN, "sync");
      expect(sync.code).toBe(4);
    }
    expect(smtp.mails.map((m) => m.subject)).toEqual([
      "[ProvisionDesk] nightly: a credential was refused; provisioning is stopped",
    ]);
    const fixed = await cli(scim.token, "sync");
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(smtp.mails.map((m) => m.subject).slice(1)).toEqual([
      "[ProvisionDesk] nightly: resolved: the credentials are accepted again",
    ]);
    for (const mail of smtp.mails)
      for (const secret of [BAD_TOKEN, scim.token, DEFAULT_CLIENT_SECRET, SMTP.password])
        expect(mail.raw).not.toContain(secret);

    // The refused cycles are in the log as entries of their own.
    const log = await cli(scim.token, "logs", "--type", "cycle", "--format", "json");
    const entries = JSON.parse(log.stdout) as { provisioningStatusInfo: { errorInformation: { errorCode: string } } }[];
    expect(entries.map((e) => e.provisioningStatusInfo.errorInformation.errorCode)).toEqual([
      "Unauthorized",
      "Unauthorized",
    ]);
  });
});
