import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { readMime } from '../../../test/support/fake-smtp-server';
import { SettableClock } from '../clock/clock';
import type { MailMessage } from './mailer.port';
import { outboxDir, OutboxMailer } from './outbox-mailer';
import { TemplateRenderer } from './template-renderer';

const renderer = new TemplateRenderer();
const FROM = 'Portail Famille <no-reply@mairie.example>';

function resetFor(to: string, displayName = 'Camille Martin'): MailMessage {
  return {
    to,
    template: 'password-reset',
    data: {
      displayName,
      login: 'camille.martin',
      resetUrl: 'https://portail.example.fr/mot-de-passe?token=xyz',
      expiresAt: '2026-11-28T09:00:00.000Z',
    },
    correlationId: 'req-42',
  };
}

describe('OutboxMailer', () => {
  let dataDir: string;
  let dir: string;
  let now: number;
  let mailer: OutboxMailer;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
    dir = outboxDir(dataDir);
    now = Date.parse('2026-11-27T09:00:00.000Z');
    // each mail one second after the previous one
    mailer = new OutboxMailer({ dir, from: FROM, renderer, clock: { now: () => new Date((now += 1000)) } });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes the mail as <sentAt>-<id>.json and .eml, nothing else', async () => {
    const mail = await mailer.send(resetFor('parent@example.fr'));

    expect(mail).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      to: 'parent@example.fr',
      from: FROM,
      subject: 'Réinitialisation de votre mot de passe Portail Famille',
      text: expect.stringContaining('Bonjour Camille Martin,'),
      html: expect.stringContaining('<p style="margin:0 0 16px 0;">Bonjour Camille Martin,</p>'),
      template: 'password-reset',
      sentAt: '2026-11-27T09:00:01.000Z',
      correlationId: 'req-42',
    });
    const base = `20261127T090001000Z-${mail.id}`;
    expect(readdirSync(dir).sort()).toEqual([`${base}.eml`, `${base}.json`]); // no temporary file left
    expect(JSON.parse(readFileSync(path.join(dir, `${base}.json`), 'utf8'))).toEqual(mail);
  });

  it('writes an .eml a mail client can open: encoded subject, headers, text and html alternatives', async () => {
    const mail = await mailer.send(resetFor('parent@example.fr', '<script>Zoé</script>'));
    const raw = readFileSync(path.join(dir, `20261127T090001000Z-${mail.id}.eml`), 'utf8');

    expect(raw).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m); // RFC 2047 encoded-word: the subject has an é
    expect(raw).not.toMatch(/[^\r]\n/); // CRLF line ends only
    const eml = readMime(raw);
    expect(eml.headers.get('from')).toBe('Portail Famille <no-reply@mairie.example>');
    expect(eml.headers.get('to')).toBe('parent@example.fr');
    expect(eml.headers.get('subject')).toBe(mail.subject);
    expect(eml.headers.get('date')).toBe('Fri, 27 Nov 2026 09:00:01 +0000');
    expect(eml.headers.get('message-id')).toBe(`<${mail.id}@mairie.example>`);
    expect(eml.headers.get('x-correlation-id')).toBe('req-42');
    expect(eml.headers.get('mime-version')).toBe('1.0');
    expect(eml.headers.get('content-type')).toMatch(/^multipart\/alternative; boundary=/);
    expect(eml.parts.map((part) => part.contentType)).toEqual(['text/plain; charset=utf-8', 'text/html; charset=utf-8']);
    const [text, html] = eml.parts.map((part) => part.body.replace(/\r\n/g, '\n'));
    expect(text).toBe(mail.text);
    expect(html).toBe(mail.html);
    expect(html).toContain('Bonjour &lt;script&gt;Zoé&lt;/script&gt;,');
  });

  it('lists newest first, filters by recipient (case-insensitive) and limits', async () => {
    const first = await mailer.send(resetFor('a@example.fr'));
    const second = await mailer.send(resetFor('b@example.fr'));
    const third = await mailer.send(resetFor('A@Example.fr'));

    expect((await mailer.list()).map((mail) => mail.id)).toEqual([third.id, second.id, first.id]);
    expect((await mailer.list({ to: ' a@example.FR ' })).map((mail) => mail.id)).toEqual([third.id, first.id]);
    expect((await mailer.list({ limit: 2 })).map((mail) => mail.id)).toEqual([third.id, second.id]);
    expect(await mailer.list({ to: 'nobody@example.fr' })).toEqual([]);
    await expect(mailer.list({ limit: 0 })).rejects.toThrow(RangeError);
  });

  it('keeps the order of mails sent within the same millisecond', async () => {
    const frozen = new OutboxMailer({ dir, from: FROM, renderer, clock: new SettableClock('2026-11-27T09:00:00Z') });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await frozen.send(resetFor('a@example.fr'))).id);
    expect((await frozen.list()).map((mail) => mail.id)).toEqual(ids.reverse());
  });

  it('gets a mail by id; an unknown or malformed id gives null', async () => {
    const mail = await mailer.send(resetFor('a@example.fr'));
    expect(await mailer.get(mail.id)).toEqual(mail);
    expect(await mailer.get('0190b6a4-0000-7000-8000-000000000000')).toBeNull();
    expect(await mailer.get('../../etc/passwd')).toBeNull();
  });

  it('lists nothing before the first mail, and skips files that are not mails', async () => {
    expect(await mailer.list()).toEqual([]);
    const mail = await mailer.send(resetFor('a@example.fr'));
    writeFileSync(path.join(dir, '20991231T235959999Z-0190b6a4-0000-7000-8000-000000000000.json'), '{ broken');
    writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    expect(await mailer.list()).toEqual([mail]);
  });

  it('refuses a recipient list or a header injection, and writes nothing', async () => {
    for (const to of ['a@example.fr, b@example.fr', 'a@example.fr\r\nBcc: b@example.fr', 'Camille <a@example.fr>', 'a']) {
      await expect(mailer.send(resetFor(to))).rejects.toThrow(/not a single bare e-mail address/);
    }
    expect(await mailer.list()).toEqual([]);
  });

  it('writes nothing when the template cannot be rendered', async () => {
    await expect(mailer.send({ to: 'a@example.fr', template: 'password-reset', data: {} })).rejects.toThrow(/password-reset/);
    expect(await mailer.list()).toEqual([]);
  });

  it('pings by creating the folder', async () => {
    await mailer.ping();
    expect(readdirSync(dir)).toEqual([]);
    await mailer.close();
  });
});
