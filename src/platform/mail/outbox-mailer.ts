/**
 * Embedded-mode mailer: nothing leaves the machine. Each mail is written to the outbox folder
 * (`<dataDir>/outbox/`) as two files with the same base name `<sentAt compact>-<id>`:
 *
 * - `.json`: the SentMail, what `list()` / `get()` (the CLI, a staff endpoint, end-to-end tests) read back;
 * - `.eml`: the RFC 5322 message, built by nodemailer's MailComposer exactly as the SMTP adapter would
 *   send it (encoded-word subject, multipart/alternative text + html), to open in any mail client.
 *
 * Each file is written under a temporary name, flushed, then renamed: a rename within a folder is atomic,
 * so a reader sees the whole file or none. The `.eml` is renamed first, so a listed mail always has it.
 * File names start with the UTC instant and the id is a UUID v7 (time-ordered, monotonic within the
 * process), so sorting names sorts mails by time, without reading them.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

import MailComposer from 'nodemailer/lib/mail-composer';
import { v7 as uuidv7 } from 'uuid';

import { type Clock, SystemClock } from '../clock/clock';
import { checkRecipient, type Mailer, type MailMessage, mimeFieldsOf, type Outbox, type SentMail } from './mailer.port';
import type { TemplateRenderer } from './template-renderer';

export interface OutboxMailerOptions {
  /** the outbox folder itself (see `outboxDir`); created when missing */
  dir: string;
  /** From header, e.g. `Portail Famille <no-reply@mairie.example>` */
  from: string;
  renderer: TemplateRenderer;
  /** for tests; defaults to the system clock */
  clock?: Clock;
}

export const DEFAULT_OUTBOX_LIMIT = 50;
export const MAX_OUTBOX_LIMIT = 500;

/** Where the embedded runtime keeps its mail: `<dataDir>/outbox`. */
export function outboxDir(dataDir: string): string {
  return path.join(dataDir, 'outbox');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAIL_FILE = /^\d{8}T\d{9}Z-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.json$/;

export class OutboxMailer implements Mailer, Outbox {
  private readonly dir: string;
  private readonly from: string;
  private readonly renderer: TemplateRenderer;
  private readonly clock: Clock;
  private ready: Promise<void> | undefined;

  constructor(options: OutboxMailerOptions) {
    this.dir = path.resolve(options.dir);
    this.from = options.from;
    this.renderer = options.renderer;
    this.clock = options.clock ?? new SystemClock();
  }

  async send(message: MailMessage): Promise<SentMail> {
    const to = checkRecipient(message.to);
    const rendered = this.renderer.render(message.template, message.data);
    const sentAt = this.clock.now().toISOString();
    const mail: SentMail = {
      id: uuidv7(),
      to,
      from: this.from,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      template: message.template,
      sentAt,
      ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
    };
    const eml = await new MailComposer({ ...mimeFieldsOf(mail), newline: 'win' }).compile().build();

    await this.ensureDir();
    const base = `${sentAt.replace(/[-:.]/g, '')}-${mail.id}`;
    await this.writeAtomically(`${base}.eml`, eml);
    await this.writeAtomically(`${base}.json`, `${JSON.stringify(mail, null, 2)}\n`);
    return mail;
  }

  async list(options: { to?: string; limit?: number } = {}): Promise<SentMail[]> {
    const limit = options.limit ?? DEFAULT_OUTBOX_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Outbox limit must be a positive integer (got ${limit})`);
    const wanted = Math.min(limit, MAX_OUTBOX_LIMIT);
    const to = options.to?.trim().toLowerCase();

    const mails: SentMail[] = [];
    for (const file of (await this.mailFiles()).reverse()) {
      const mail = await this.read(file);
      if (mail === null || (to !== undefined && mail.to.toLowerCase() !== to)) continue;
      mails.push(mail);
      if (mails.length === wanted) break;
    }
    return mails;
  }

  async get(id: string): Promise<SentMail | null> {
    if (!UUID.test(id)) return null; // also keeps `../` and the like out of the path
    const file = (await this.mailFiles()).find((name) => name.endsWith(`-${id}.json`));
    return file === undefined ? null : this.read(file);
  }

  /** Resolves when the outbox folder exists and this process may write to it. */
  async ping(): Promise<void> {
    await this.ensureDir();
    await access(this.dir, constants.W_OK);
  }

  /** Nothing to release: every send opens and closes its own files. */
  async close(): Promise<void> {}

  private ensureDir(): Promise<void> {
    // Retried on the next call after a failure (the folder may be fixed by hand in the meantime).
    this.ready ??= mkdir(this.dir, { recursive: true }).then(
      () => undefined,
      (error: unknown) => {
        this.ready = undefined;
        throw error;
      },
    );
    return this.ready;
  }

  /** The `.json` names, oldest first; temporary files and anything else in the folder are ignored. */
  private async mailFiles(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (isNotFound(error)) return []; // nothing sent yet
      throw error;
    }
    return names.filter((name) => MAIL_FILE.test(name)).sort();
  }

  /**
   * The mail in `file`, or null when it vanished or is not a SentMail. People browse and clean this folder
   * by hand; one unreadable file must not hide the others from the listing.
   */
  private async read(file: string): Promise<SentMail | null> {
    let content: string;
    try {
      content = await readFile(path.join(this.dir, file), 'utf8');
    } catch (error) {
      if (isNotFound(error)) return null; // removed since the listing
      throw error;
    }
    try {
      const parsed: unknown = JSON.parse(content);
      return isSentMail(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  private async writeAtomically(name: string, content: string | Buffer): Promise<void> {
    // A dot-name never matches MAIL_FILE, so list() cannot see it; the random part avoids two writers clashing.
    const temporary = path.join(this.dir, `.${name}.${randomUUID()}.tmp`);
    try {
      const handle = await open(temporary, 'wx');
      try {
        await handle.writeFile(content);
        // Flushed before the rename, or a crash could leave the final name on an empty file.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path.join(this.dir, name));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}

// Duck-typed: errors of Node's fs are not always `instanceof Error` of the caller's realm (Jest's VM).
function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function isSentMail(value: unknown): value is SentMail {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const strings = ['id', 'to', 'from', 'subject', 'text', 'html', 'template', 'sentAt'] as const;
  return (
    strings.every((key) => typeof record[key] === 'string') &&
    (record.correlationId === undefined || typeof record.correlationId === 'string')
  );
}
