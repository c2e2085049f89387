import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Browser } from 'puppeteer-core';

import { PuppeteerPdfRenderer } from './puppeteer-pdf-renderer';

const text = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
const TEMPLATE =
  '<html lang="fr"><body><h1>Facture N° {{number}}</h1><p>{{family}} doit {{amount}}</p>{{#if image}}<img src="{{image}}">{{/if}}</body></html>';

describe('PuppeteerPdfRenderer (Handlebars + Debian’s Chromium)', () => {
  jest.setTimeout(60_000);

  it.each([false, true])(
    'prints an A4 PDF whose text can be searched (pages reused: %s), nothing fetched from the network',
    async (reusePages) => {
      let fetched = 0;
      const server = createServer((_, res) => {
        fetched++;
        res.end('x');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const image = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tracker.png`;
      const renderer = new PuppeteerPdfRenderer({ reusePages, concurrency: 2 });
      try {
        const pdfs = await Promise.all(
          ['AL-36', 'AL-37', 'AL-38'].map((number) =>
            renderer.render({ template: TEMPLATE, data: { number, family: 'DUPONT JEAN', amount: '120,60 €', image } }),
          ),
        );
        expect(pdfs[0].subarray(0, 5).toString()).toBe('%PDF-');
        expect(text(pdfs[1])).toContain('Facture N° AL-37');
        expect(text(pdfs[2])).toContain('DUPONT JEAN doit 120,60 €');
        expect(fetched).toBe(0);
      } finally {
        await renderer.close();
        server.close();
      }
    },
  );

  it('escapes the data (HTML in a name stays text) and refuses a template missing a field', async () => {
    const renderer = new PuppeteerPdfRenderer();
    try {
      expect(renderer.html({ template: TEMPLATE, data: { number: '<b>1</b>', family: 'X', amount: '1' } })).toContain(
        '&lt;b&gt;1&lt;/b&gt;',
      );
      expect(() => renderer.html({ template: TEMPLATE, data: { number: '1' } })).toThrow(/family/);
    } finally {
      await renderer.close();
    }
  });

  it('launches the browser again when it died', async () => {
    const renderer = new PuppeteerPdfRenderer();
    try {
      await renderer.render({ template: TEMPLATE, data: { number: '1', family: 'A', amount: '1' } });
      const browser = await (renderer as unknown as { browser: Promise<Browser> }).browser;
      browser.process()?.kill('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const pdf = await renderer.render({ template: TEMPLATE, data: { number: '2', family: 'B', amount: '2' } });
      expect(text(pdf)).toContain('Facture N° 2');
    } finally {
      await renderer.close();
    }
  });
});
