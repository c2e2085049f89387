/**
 * Mailer port: the e-mails parents and staff receive (account activation, password reset, ...).
 *
 * Adapters (ARCHITECTURE.md, "Two runtimes"): `OutboxMailer` in embedded mode writes every mail to the data
 * folder, where a CLI or an endpoint reads it back through `Outbox`; `SmtpMailer` in server mode relays it
 * over SMTP (Mailpit in docker-compose). Both render the same French Handlebars templates
 * (`TemplateRenderer`), so a mail read in the outbox is the mail production would send.
 *
 * Callers name a template and pass its data; they never build subjects or bodies themselves, so every text
 * a parent reads lives in `templates/` and is HTML-escaped in one place.
 */

export interface MailMessage {
  /** one recipient address (`parent@example.fr`); lists and display names are refused */
  to: string;
  /** a template name of `templates/` (`account-activation`, `password-reset`, ...) */
  template: string;
  /** the template's variables; a missing one is an error (strict templates), extra ones are ignored */
  data: Record<string, unknown>;
  /** for tracing */
  correlationId?: string;
}

/** A mail as it was handed over: the outbox stores it, the SMTP adapter returns it after the relay accepted it. */
export interface SentMail {
  /** time-ordered id (UUID v7), also the local part of the Message-ID header */
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  template: string;
  /** UTC ISO instant */
  sentAt: string;
  correlationId?: string;
}

export interface Mailer {
  /** Renders and sends one mail; rejects when the template fails or the relay refuses the recipient. */
  send(message: MailMessage): Promise<SentMail>;
  /** Health check: resolves when mail can be handed over (outbox folder writable, SMTP relay answering). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The mails written in embedded mode, read back by the CLI, a staff endpoint or an end-to-end test. */
export interface Outbox {
  /** Newest first; `to` compares addresses case-insensitively; `limit` defaults to 50, at most 500. */
  list(options?: { to?: string; limit?: number }): Promise<SentMail[]>;
  get(id: string): Promise<SentMail | null>;
}

export const MAILER = Symbol('MAILER');
export const OUTBOX = Symbol('OUTBOX');

/**
 * Conservative shape of one bare address: no spaces, angle brackets, commas, semicolons, quotes or line
 * breaks. That refuses header injection (`a@b\r\nBcc: ...`) and address lists (`a@b, c@d`), which a mail
 * for one parent never needs, while leaving full RFC 5321 validation to whoever collected the address.
 */
const BARE_ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/;

/** The address trimmed, or an error when it is not exactly one bare address. Both adapters call it first. */
export function checkRecipient(to: string): string {
  const address = to.trim();
  if (!BARE_ADDRESS.test(address)) {
    throw new Error(`Mailer: ${JSON.stringify(to)} is not a single bare e-mail address`);
  }
  return address;
}

/** The fields of the MIME message both adapters build from a SentMail (nodemailer's message options). */
export interface MimeFields {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  date: Date;
  messageId: string;
  headers: Record<string, string>;
}

/**
 * One mapping from SentMail to MIME for both adapters, so the `.eml` of the outbox is the message the SMTP
 * relay receives: same Message-ID (`<id@sender-domain>`, the mail's id is findable in a mail client or a
 * relay's log) and the correlation id as `X-Correlation-Id` to follow a mail back to the request.
 */
export function mimeFieldsOf(mail: SentMail): MimeFields {
  // The domain of the last address-looking part of `from` (`Portail Famille <no-reply@mairie.fr>`).
  const domain = /@([^\s@<>]+)>?\s*$/.exec(mail.from)?.[1] ?? 'portail-famille.invalid';
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    date: new Date(mail.sentAt),
    messageId: `<${mail.id}@${domain}>`,
    // Printable ASCII only: the HTTP layer already checks it, and a header value must never carry a line break.
    headers:
      mail.correlationId !== undefined && /^[\x21-\x7e]{1,200}$/.test(mail.correlationId) ? { 'X-Correlation-Id': mail.correlationId } : {},
  };
}
