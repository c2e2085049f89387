import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SettableClock } from '../clock/clock';
import { HttpSmsSender } from './http-sms-sender';
import { OutboxSmsSender } from './outbox-sms-sender';
import { frenchMobile, gsmLength, toGsmText } from './sms-sender.port';

describe('SMS texts', () => {
  it('makes French text one GSM SMS: typographic signs simplified, accents outside GSM dropped, cut at 160', () => {
    expect(toGsmText('L’accueil « Mercredi » est fermé – prévoyez être là à 8h')).toBe(
      'L\'accueil " Mercredi " est fermé - prévoyez etre là à 8h',
    );
    const long = toGsmText('é'.repeat(300));
    expect(gsmLength(long)).toBe(160);
    expect(long.endsWith('...')).toBe(true);
    expect(gsmLength('€')).toBe(2);
  });

  it('reads French mobile numbers as E.164', () => {
    expect(frenchMobile('06 12 34 56 78')).toBe('+33612345678');
    expect(frenchMobile('+33 7 12 34 56 78')).toBe('+33712345678');
    expect(frenchMobile('01 02 03 04 05')).toBeNull();
  });
});

describe('OutboxSmsSender', () => {
  it('writes each SMS to the data folder and lists them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-'));
    try {
      const sender = new OutboxSmsSender(dir, new SettableClock('2026-11-16T08:00:00Z'));
      await sender.send({ to: '06 11 22 33 44', text: 'Nouveau message sur le Portail Famille' });
      expect(await sender.list()).toEqual([
        expect.objectContaining({ to: '+33611223344', text: 'Nouveau message sur le Portail Famille' }),
      ]);
      await expect(sender.send({ to: '06 11 22 33 44', text: 'x'.repeat(161) })).rejects.toThrow(/160/);
      await expect(sender.send({ to: '01 02 03 04 05', text: 'x' })).rejects.toThrow(/mobile/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HttpSmsSender against a local fake provider', () => {
  let server: Server;
  let url: string;
  const received: { body: unknown; authorization?: string }[] = [];
  let status = 202;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), authorization: req.headers.authorization });
        res.statusCode = status;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://portail:secret@127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the message as JSON with Basic credentials from the URL, and fails on a non-2xx answer', async () => {
    const sender = new HttpSmsSender(url, new SettableClock('2026-11-16T08:00:00Z'));
    const sent = await sender.send({ to: '06 11 22 33 44', text: 'Bonjour' });
    expect(received[0]).toEqual({
      body: { to: '+33611223344', text: 'Bonjour', reference: sent.id },
      authorization: `Basic ${Buffer.from('portail:secret').toString('base64')}`,
    });
    status = 503;
    await expect(sender.send({ to: '06 11 22 33 44', text: 'Bonjour' })).rejects.toThrow(/503/);
  });
});
