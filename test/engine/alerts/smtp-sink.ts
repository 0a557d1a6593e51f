import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** The whole message as it arrived (headers and body), to prove what is NOT in it. */
  raw: string;
  user: string | undefined;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Sign-in attempts, right or wrong. */
  readonly logins: number;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (no TLS) that accepts one user and keeps every message it receives. */
export async function startSmtpSink(account: { user: string; password: string }, port = 0): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  let logins = 0;
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      logins++;
      if (auth.username === account.user && auth.password === account.password)
        return callback(null, { user: auth.username });
      callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw)
          .then((parsed) => {
            mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              raw,
              user: typeof session.user === "string" ? session.user : undefined,
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    mails,
    get logins() {
      return logins;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A profile's email alerts sent through `sink` as `username`, without TLS. */
export const emailAlertsVia = (sink: SmtpSink, username: string, to: string[], from = "provisiondesk@contoso.com") => ({
  email: { smtpHost: "127.0.0.1", smtpPort: sink.port, security: "none" as const, from, to, username },
});
