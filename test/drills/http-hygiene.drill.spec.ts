/**
 * What any client, browser or scanner sees of the portal's HTTP: standard security headers (helmet), no
 * `X-Powered-By`, a CSP that forbids framing without breaking the Swagger UI (rendered in a real
 * Chromium), no caching of personal data, a slow-headers client cut after the headers timeout while idle
 * kept-alive sockets live on, and /metrics kept off the public port with METRICS_PORT.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { promisify } from 'node:util';

import { HTTP_TIMEOUTS } from '../../src/platform/http/http-server';
import { call, ensureBuilt, freePort, login, type PortalProcess, startPortal, tempDataDir, waitReady } from './support/portal-process';

jest.setTimeout(120_000);

const CHROMIUM = '/usr/bin/chromium';

describe('drill: HTTP hygiene of the running portal', () => {
  let portal: PortalProcess;
  let metricsPort: number;
  let dataDir: string;
  let token: string;

  beforeAll(async () => {
    ensureBuilt();
    dataDir = tempDataDir();
    metricsPort = await freePort();
    const started = performance.now();
    portal = await startPortal({ dataDir, env: { METRICS_PORT: String(metricsPort) } });
    await waitReady(portal, started);
    token = await login(portal.url, 'agent.saint-jean');
  });
  afterAll(async () => {
    portal.child.kill('SIGTERM');
    await portal.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the standard security headers and no X-Powered-By', async () => {
    for (const path of ['/health', '/docs', '/families/1001001818331', '/nowhere']) {
      const answer = await call(portal.url, { path, headers: { Authorization: `Bearer ${token}` } });
      expect(answer.headers['x-powered-by']).toBeUndefined();
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('never lets personal data be cached', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    for (const path of ['/families/1001001818331', '/auth/me', '/staff/requests']) {
      const answer = await call(portal.url, { path, headers: auth });
      expect(answer.status).toBe(200);
      expect(answer.headers['cache-control']).toBe('no-store');
    }
    const loginAnswer = await call(portal.url, { path: '/auth/login', body: { login: 'auditeur', password: 'Tournesol-Vert-2026' } });
    expect(loginAnswer.headers['cache-control']).toBe('no-store');
  });

  it('renders the Swagger UI under that CSP in a real Chromium', async () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    const { stdout } = await promisify(execFile)(
      CHROMIUM,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--virtual-time-budget=8000',
        '--dump-dom',
        `${portal.url}/docs`,
      ],
      { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
    );
    // the UI's scripts ran: the title and the operations come from the OpenAPI document, fetched by them
    expect(stdout).toContain('class="title">Portail Famille — API');
    expect((stdout.match(/opblock-tag-section/g) ?? []).length).toBeGreaterThan(3);
  });

  it('cuts a client that sends its headers slowly, and keeps an idle kept-alive socket longer', async () => {
    const slow = connect(portal.port, '127.0.0.1');
    const idle = connect(portal.port, '127.0.0.1');
    await Promise.all([once(slow, 'connect'), once(idle, 'connect')]);
    slow.on('error', () => undefined);
    idle.on('error', () => undefined);
    let idleAnswers = '';
    idle.on('data', (c: Buffer) => (idleAnswers += c.toString()));
    idle.write('GET /health/live HTTP/1.1\r\nHost: portal\r\n\r\n');
    const started = performance.now();
    const slowClosed = new Promise<number>((resolve) => {
      const done = () => resolve(performance.now() - started);
      slow.once('end', done);
      slow.once('close', done);
    });
    let idleClosed = false;
    idle.once('close', () => (idleClosed = true));
    slow.write('GET /health/live HTTP/1.1\r\nHost: portal\r\n');
    let cut = false;
    slow.on('data', () => (cut = true)); // the server's 408
    slow.on('end', () => (cut = true));
    const drip = setInterval(() => {
      if (!cut && slow.writable) slow.write('X-Slow: 1\r\n', () => undefined);
    }, 1000);
    const cutAfterMs = await slowClosed;
    clearInterval(drip);
    expect(cutAfterMs).toBeGreaterThanOrEqual(HTTP_TIMEOUTS.headersMs - 500);
    expect(cutAfterMs).toBeLessThan(HTTP_TIMEOUTS.headersMs + HTTP_TIMEOUTS.checkIntervalMs + 1500);
    // the idle kept-alive socket, silent all this time, still serves
    expect(idleClosed).toBe(false);
    idleAnswers = '';
    idle.write('GET /health/live HTTP/1.1\r\nHost: portal\r\n\r\n');
    await new Promise((r) => setTimeout(r, 300));
    expect(idleAnswers).toMatch(/^HTTP\/1\.1 200/);
    idle.destroy();
  });

  it('serves /metrics on METRICS_PORT (127.0.0.1) only, not on the public port', async () => {
    expect((await call(portal.url, { path: '/metrics' })).status).toBe(404);
    const metrics = await call(`http://127.0.0.1:${metricsPort}`, { path: '/metrics' });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('projection_lag_positions');
    expect((await call(`http://127.0.0.1:${metricsPort}`, { path: '/families/1001001818331' })).status).toBe(404);
  });
});
