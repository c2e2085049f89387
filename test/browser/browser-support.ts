/// <reference lib="dom" />
/**
 * Browser tests' support: one Chromium (Debian's, driven by Puppeteer) per suite, against the embedded
 * portal of test-app.ts (a fresh data folder, the demo data, a clock standing at E2E_NOW) listening on a
 * free port. Every page can be checked with axe-core (no serious or critical violation) and screenshot
 * into /tmp/portail-screens (never committed). A page whose Content-Security-Policy refuses something
 * fails its test: the console's CSP reports are collected.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import puppeteer, { type Browser, type Page, type Viewport } from 'puppeteer';

import { DEMO_PASSWORD } from '../../src/demo/demo-data';
import { startTestApp, type TestApp } from '../support/test-app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENS = process.env.SCREENSHOT_DIR ?? '/tmp/portail-screens';
export const PHONE: Viewport = { width: 390, height: 844, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
export const DESKTOP: Viewport = { width: 1280, height: 900, deviceScaleFactor: 1 };
export const TABLET: Viewport = { width: 1024, height: 768, deviceScaleFactor: 1, hasTouch: true };

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Portal {
  t: TestApp;
  browser: Browser;
  base: string;
  /** Content-Security-Policy reports and script errors seen in any page */
  cspErrors: string[];
  /** a page in a fresh browser context (its own cookies), at the given viewport */
  open(viewport: Viewport, options?: { javaScript?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

export async function startPortal(): Promise<Portal> {
  const t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  mkdirSync(SCREENS, { recursive: true });
  const cspErrors: string[] = [];
  return {
    t,
    browser,
    base: `http://127.0.0.1:${port}`,
    cspErrors,
    async open(viewport, options = {}) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport(viewport);
      if (options.javaScript === false) {
        // the portal's script never arrives (blocked, failed, old browser): pages must work without it
        await page.setRequestInterception(true);
        page.on('request', (request) => (request.url().endsWith('/portail/portail.js') ? request.abort() : request.continue()));
      }
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
      });
      page.on('pageerror', (error) => cspErrors.push(`page error: ${String(error)}`));
      page.setDefaultTimeout(10_000);
      return page;
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** Logs in through the login page; lands on the account's home page. */
export async function login(portal: Portal, page: Page, account: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${portal.base}/connexion`);
  await page.type('#identifiant', account);
  await page.type('#mot-de-passe', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit].primary')]);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core on the page as it is (WCAG 2.0/2.1 A and AA rules): the serious and critical violations. The
 * script is evaluated through the DevTools protocol, which the page's CSP does not govern.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
}

/** axe-core finds nothing serious, and the page is screenshot as `name`. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
  expect({ page: name, violations: await axeViolations(page) }).toEqual({ page: name, violations: [] });
}

export async function textOf(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (e) => (e as HTMLElement).innerText);
}
