/**
 * Rate limits (http/rate-limit.ts), at the portal's default settings unless a test says otherwise:
 * authenticated calls per account, anonymous calls per address, downloads apart, probes never.
 */
import { loadConfig } from '../../src/platform/config/config';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const DEFAULTS = loadConfig({});

async function hammer(send: () => Promise<{ status: number }>, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await send()).status);
  return statuses;
}

describe('rate limits at the default settings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, 60_000);
  afterAll(() => t?.close());

  it('limit a parent looping on one endpoint, per account, and say when to retry', async () => {
    const { points, seconds } = DEFAULTS.rateLimitAccount;
    const first = await t.http.get('/families/1001001818331').set(bearer(t.tokens.dupont)).expect(200);
    expect(first.headers['ratelimit-limit']).toBe(String(points));
    expect(first.headers['ratelimit-policy']).toBe(`${points};w=${seconds}`);
    const remaining = Number(first.headers['ratelimit-remaining']);
    expect(remaining).toBeLessThan(points);

    const statuses = await hammer(() => t.http.get('/families/1001001818331').set(bearer(t.tokens.dupont)), remaining);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const refused = await t.http.get('/families/1001001818331').set(bearer(t.tokens.dupont)).expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(refused.body.message).toMatch(/^Trop de requêtes en peu de temps\. Réessayez dans \d+ secondes?\.$/);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(seconds);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    // a refused call is not carried out: nothing of it reached the handler (no body of the family)
    expect(refused.body.familyId).toBeUndefined();

    // the other parent of the same family has an account of her own, hence a count of her own
    await t.http.get('/families/1001001818331').set(bearer(t.tokens.jeanne)).expect(200);
    // probes are never limited, whoever calls
    await t.http.get('/health/live').expect(200);
  });

  it('are written in the OpenAPI document: every operation but the probes has its 429 and the RateLimit headers', async () => {
    const doc = (await t.http.get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.values(item).map((op) => ({ path, op })));
    const limited = operations.filter(({ path }) => !path.startsWith('/health') && path !== '/metrics');
    expect(limited.length).toBeGreaterThan(50);
    for (const { op } of limited) {
      expect(op.responses['429']?.headers).toHaveProperty('Retry-After');
      // every answer the limiter lets through (2xx) or refuses or checks (4xx); 5xx come from elsewhere
      for (const [status, response] of Object.entries(op.responses)) {
        if (/^[24]/.test(status)) expect(response.headers).toHaveProperty('RateLimit-Remaining');
      }
      expect(op.responses['500']?.headers?.['RateLimit-Remaining']).toBeUndefined();
    }
    expect(doc.paths['/health/live'].get.responses['429']).toBeUndefined();
  });

  it('never limit authenticated calls per address: parents behind one NAT address are counted apart', async () => {
    // every call of this suite comes from 127.0.0.1: the MARTIN parent is still served after DUPONT was refused
    await t.http.get('/families/1001001818331').set(bearer(t.tokens.dupont)).expect(429);
    await t.http.get('/families/1001001818332').set(bearer(t.tokens.martin)).expect(200);
  });
});

describe('anonymous floods', () => {
  let t: TestApp;
  beforeAll(async () => {
    // small limits so that the flood is short; the rule is the same at the defaults
    t = await startTestApp({ RATE_LIMIT_ANONYMOUS: '30/60', TRUST_PROXY: '127.0.0.1' });
  }, 60_000);
  afterAll(() => t?.close());

  it('are limited per address on the login page, and another address still logs in', async () => {
    // the demo logins of startTestApp already counted 7 anonymous calls from 127.0.0.1 (no X-Forwarded-For)
    // a new login each time, so that the login's own brute-force lock (5 failures per account and source) stays out of it
    let attempt = 0;
    const fromAttacker = () =>
      t.http
        .post('/auth/login')
        .set('X-Forwarded-For', '203.0.113.7')
        .send({ login: `inconnu-${++attempt}`, password: 'x' });
    const statuses = await hammer(fromAttacker, 31);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses[30]).toBe(429);
    const refused = await fromAttacker();
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // a parent behind another address is not affected by the flood
    const parent = await t.http
      .post('/auth/login')
      .set('X-Forwarded-For', '198.51.100.20')
      .send({ login: '1001001818332', password: 'Tournesol-Vert-2026' });
    expect(parent.status).toBe(200);
  });

  it('X-Forwarded-For is believed only from the proxies TRUST_PROXY names', async () => {
    const u = await startTestApp({ RATE_LIMIT_ANONYMOUS: '10/60' });
    try {
      // without TRUST_PROXY, a forged header does not give an attacker a fresh count per request
      const statuses = await hammer(
        () =>
          u.http
            .post('/auth/login')
            .set('X-Forwarded-For', `192.0.2.${Math.floor(Math.random() * 250)}`)
            .send({ login: 'nobody', password: 'x' }),
        12,
      );
      expect(statuses).toContain(429);
    } finally {
      await u.close();
    }
  }, 60_000);
});

describe('downloads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_DOWNLOADS: '3/60' });
  }, 60_000);
  afterAll(() => t?.close());

  it('have a limit of their own, apart from the account’s other calls', async () => {
    const url = '/families/1001001818331/history/export';
    const statuses = await hammer(() => t.http.get(url).set(bearer(t.tokens.auditor)), 4);
    // whatever the route answers (it may not exist yet), the fourth call in the window is refused
    expect(statuses[3]).toBe(429);
    const again = await t.http.get(url).set(bearer(t.tokens.auditor));
    expect(again.headers['ratelimit-limit']).toBe('3');
    // the auditor's other calls count against the account limit, not the downloads one
    await t.http.get('/families/1001001818331/history').set(bearer(t.tokens.auditor)).expect(200);
  });
});
