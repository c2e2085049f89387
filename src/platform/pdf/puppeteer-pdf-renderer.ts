import Handlebars from 'handlebars';
import type { Browser, Page } from 'puppeteer-core';

import type { PdfDocument, PdfRenderer } from './pdf-renderer.port';

export interface PuppeteerPdfOptions {
  /** Debian's Chromium by default */
  executablePath?: string;
  /** documents printed at once (one fresh page each); more wait their turn */
  concurrency?: number;
  /** a document not printed within this time fails (its page is closed) */
  timeoutMs?: number;
  /**
   * Keep the pages between documents (a pool of `concurrency` pages, each document replacing the whole page
   * content; about 3× faster on this machine), instead of a fresh page per document (the default).
   */
  reusePages?: boolean;
}

/** The flags of a headless Chromium in a container: no sandbox (no user namespaces), nothing fetched from the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Handlebars + Puppeteer: one long-lived browser launched at the first document (and again if it dies), a
 * fresh page per PDF by default (closed after it, so no state leaks from one family's invoice into
 * another's; `reusePages` keeps a small pool instead), at most `concurrency` pages at once, a timeout per
 * document, JavaScript off, and no request leaves the page: the HTML is set inline and every request it
 * would make is refused (fonts come from Debian, through fontconfig).
 */
export class PuppeteerPdfRenderer implements PdfRenderer {
  private browser?: Promise<Browser>;
  private readonly compiled = new Map<string, HandlebarsTemplateDelegate>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;
  private readonly handlebars = Handlebars.create();
  private idle: { browser: Browser; page: Page }[] = [];

  constructor(private readonly options: PuppeteerPdfOptions = {}) {}

  private launch(): Promise<Browser> {
    if (!this.browser) {
      // puppeteer-core, loaded at the first document: the `puppeteer` package reads its configuration from the
      // user's home when imported (a process whose HOME it cannot read would die at start for a PDF never asked)
      const launching = import('puppeteer-core').then(({ default: puppeteer }) =>
        puppeteer.launch({
          executablePath: this.options.executablePath ?? '/usr/bin/chromium',
          args: CHROMIUM_ARGS,
          headless: true,
        }),
      );
      this.browser = launching;
      launching
        .then((browser) =>
          browser.on('disconnected', () => {
            if (this.browser === launching) this.browser = undefined; // relaunched at the next document
          }),
        )
        .catch(() => {
          if (this.browser === launching) this.browser = undefined;
        });
    }
    return this.browser;
  }

  private async slot(): Promise<() => void> {
    const limit = this.options.concurrency ?? 2;
    if (this.active >= limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    return () => {
      this.active--;
      this.waiting.shift()?.();
    };
  }

  html(document: PdfDocument): string {
    let template = this.compiled.get(document.template);
    if (!template) {
      template = this.handlebars.compile(document.template, { strict: true });
      this.compiled.set(document.template, template);
    }
    return template(document.data);
  }

  private async newPage(browser: Browser): Promise<Page> {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      // the inline document itself is allowed; anything it would fetch is not
      if (request.url().startsWith('data:') || request.url() === 'about:blank') void request.continue();
      else void request.abort('blockedbyclient');
    });
    return page;
  }

  private async takePage(): Promise<{ browser: Browser; page: Page }> {
    const browser = await this.launch();
    while (this.idle.length > 0) {
      const kept = this.idle.pop()!;
      if (kept.browser === browser && !kept.page.isClosed()) return kept;
    }
    return { browser, page: await this.newPage(browser) };
  }

  async render(document: PdfDocument): Promise<Buffer> {
    if (this.closed) throw new Error('PDF renderer closed');
    const html = this.html(document);
    const release = await this.slot();
    try {
      const taken = await this.takePage();
      const { page } = taken;
      const timeoutMs = this.options.timeoutMs ?? 15_000;
      let timer: NodeJS.Timeout | undefined;
      let ok = false;
      try {
        const print = (async () => {
          await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
          return page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, timeout: timeoutMs });
        })();
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`PDF not printed within ${timeoutMs} ms`)), timeoutMs);
        });
        const pdf = Buffer.from(await Promise.race([print, timeout]));
        ok = true;
        return pdf;
      } finally {
        clearTimeout(timer);
        if (ok && this.options.reusePages && !this.closed) this.idle.push(taken);
        else await page.close().catch(() => undefined);
      }
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.idle = [];
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
  }
}
