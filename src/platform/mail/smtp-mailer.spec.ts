import net from 'node:net';

import { FakeSmtpServer, readMime } from '../../../test/support/fake-smtp-server';
import { SettableClock } from '../clock/clock';
import { SmtpMailer } from './smtp-mailer';
import { TemplateRenderer } from './template-renderer';

const renderer = new TemplateRenderer();
const FROM = 'Portail Famille <no-reply@mairie.example>';

const resetData = {
  displayName: '<b>Zoé</b> Martin',
  login: 'zoe.martin',
  resetUrl: 'https://portail.example.fr/mot-de-passe?token=xyz',
  expiresAt: '2026-11-28T09:00:00.000Z',
};

/** A local port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('SmtpMailer against a local SMTP server', () => {
  let smtp: FakeSmtpServer;
  let mailer: SmtpMailer;

  beforeEach(async () => {
    smtp = await FakeSmtpServer.start({ refuse: (recipient) => recipient.startsWith('unknown@') });
    mailer = new SmtpMailer({
      smtpUrl: smtp.url,
      from: FROM,
      renderer,
      clock: new SettableClock('2026-11-27T09:00:00.000Z'),
    });
  });
  afterEach(async () => {
    await mailer.close();
    await smtp.stop();
  });

  it('delivers the rendered mail: envelope, encoded subject, text and escaped html', async () => {
    const sent = await mailer.send({
      to: 'parent@example.fr',
      template: 'password-reset',
      data: resetData,
      correlationId: 'req-7',
    });

    const [received] = await smtp.waitForMessages(1);
    expect(received.from).toBe('no-reply@mairie.example');
    expect(received.to).toEqual(['parent@example.fr']);
    expect(smtp.commands.map((line) => line.split(/[\s:]/)[0].toUpperCase())).toEqual(
      expect.arrayContaining(['EHLO', 'MAIL', 'RCPT', 'DATA']),
    );

    expect(received.data).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m); // RFC 2047: the subject has an é
    const message = readMime(received.data);
    expect(message.headers.get('subject')).toBe('Réinitialisation de votre mot de passe Portail Famille');
    expect(message.headers.get('from')).toBe(FROM);
    expect(message.headers.get('to')).toBe('parent@example.fr');
    expect(message.headers.get('message-id')).toBe(`<${sent.id}@mairie.example>`);
    expect(message.headers.get('x-correlation-id')).toBe('req-7');
    expect(message.headers.get('date')).toBe('Fri, 27 Nov 2026 09:00:00 +0000');

    const text = message.parts.find((part) => part.contentType.startsWith('text/plain'))?.body ?? '';
    const html = message.parts.find((part) => part.contentType.startsWith('text/html'))?.body ?? '';
    expect(text.replace(/\r\n/g, '\n')).toBe(sent.text);
    expect(text).toContain('Bonjour <b>Zoé</b> Martin,');
    expect(text).toContain('https://portail.example.fr/mot-de-passe?token=xyz');
    expect(text).toContain('Il expire le 28 novembre 2026 à 10:00.');
    expect(html).toContain('Bonjour &lt;b&gt;Zoé&lt;/b&gt; Martin,');

    expect(sent).toMatchObject({
      to: 'parent@example.fr',
      from: FROM,
      template: 'password-reset',
      sentAt: '2026-11-27T09:00:00.000Z',
      correlationId: 'req-7',
    });
  });

  it('rejects when the relay refuses the recipient', async () => {
    await expect(mailer.send({ to: 'unknown@example.fr', template: 'password-reset', data: resetData })).rejects.toThrow(
      /550 5\.1\.1 Mailbox unavailable/,
    );
    expect(smtp.messages).toEqual([]);
  });

  it('rejects a template error before connecting', async () => {
    await expect(mailer.send({ to: 'parent@example.fr', template: 'password-reset', data: {} })).rejects.toThrow(
      /"displayName" not defined/,
    );
    expect(smtp.commands).toEqual([]);
  });

  it('pings a live relay, and fails to ping a port where nothing listens', async () => {
    await expect(mailer.ping()).resolves.toBeUndefined();
    expect(smtp.commands[0]).toMatch(/^EHLO /);

    const down = new SmtpMailer({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}`, from: FROM, renderer });
    await expect(down.ping()).rejects.toThrow(/ECONNREFUSED/);
    await down.close();
  });
});
