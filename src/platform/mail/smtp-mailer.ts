/**
 * Server-mode mailer: renders the same templates as the outbox and relays the message over SMTP with
 * nodemailer (Mailpit in docker-compose, the commune's relay in production).
 *
 * `send` resolves once the relay has accepted the message for the recipient (250 after DATA); delivery
 * beyond the relay is its business. Retrying a failed send is left to the caller's job (at-least-once, see
 * ARCHITECTURE.md "Workflows"), so this adapter does not retry by itself.
 */
import { createTransport } from 'nodemailer';
import { v7 as uuidv7 } from 'uuid';

import { type Clock, SystemClock } from '../clock/clock';
import { checkRecipient, type Mailer, type MailMessage, mimeFieldsOf, type SentMail } from './mailer.port';
import type { TemplateRenderer } from './template-renderer';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://...:465` (config `SMTP_URL`); nodemailer options may follow as a query */
  smtpUrl: string;
  /** From header, e.g. `Portail Famille <no-reply@mairie.example>` */
  from: string;
  renderer: TemplateRenderer;
  /** for tests; defaults to the system clock */
  clock?: Clock;
}

export class SmtpMailer implements Mailer {
  private readonly transporter: ReturnType<typeof createTransport>;
  private readonly from: string;
  private readonly renderer: TemplateRenderer;
  private readonly clock: Clock;

  constructor(options: SmtpMailerOptions) {
    this.from = options.from;
    this.renderer = options.renderer;
    this.clock = options.clock ?? new SystemClock();
    this.transporter = createTransport({
      url: options.smtpUrl,
      // nodemailer waits up to 2 minutes for a connection and 10 for an idle socket by default: far too
      // long for a health check (ping) or a job holding a worker slot. The URL's query can override these.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
      logger: false,
    });
  }

  async send(message: MailMessage): Promise<SentMail> {
    const to = checkRecipient(message.to);
    const rendered = this.renderer.render(message.template, message.data);
    const mail: SentMail = {
      id: uuidv7(),
      to,
      from: this.from,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      template: message.template,
      sentAt: this.clock.now().toISOString(),
      ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
    };
    const info = await this.transporter.sendMail(mimeFieldsOf(mail));
    // With a single recipient a refusal already rejects sendMail; checked again so that a relay answering
    // oddly never turns into a mail reported as sent.
    if (info.rejected.length > 0 || info.accepted.length === 0) {
      throw new Error(`SMTP relay refused ${to}: ${info.response}`);
    }
    return mail;
  }

  /** Connects, greets and authenticates (when the URL has credentials), then quits. */
  async ping(): Promise<void> {
    await this.transporter.verify();
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
