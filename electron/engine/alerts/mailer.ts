import { createTransport } from "nodemailer";
import type { AlertEmailConfig } from "../../../shared/config/profile";

export interface AlertMail {
  subject: string;
  text: string;
}

export interface Mailer {
  readonly to: string[];
  /** Resolves with the server's message id; rejects when the SMTP server refused or could not be reached. */
  send(mail: AlertMail): Promise<string | null>;
}

/**
 * An SMTP mailer for the profile's alert recipients. "starttls" insists on the upgrade (no silent plain-text
 * fallback once a password is involved); "tls" is TLS from the first byte (port 465); "none" never encrypts.
 */
export function createMailer(config: AlertEmailConfig, password: string | null): Mailer {
  const connect = () =>
    createTransport({
      host: config.smtpHost,
      port: config.smtpPort,
      secure: config.security === "tls",
      requireTLS: config.security === "starttls",
      ignoreTLS: config.security === "none",
      ...(config.username ? { auth: { user: config.username, pass: password ?? "" } } : {}),
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
  return {
    to: config.to,
    async send(mail) {
      const transport = connect();
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: config.to,
          subject: mail.subject,
          text: mail.text,
        });
        return typeof info.messageId === "string" ? info.messageId : null;
      } finally {
        transport.close();
      }
    },
  };
}
