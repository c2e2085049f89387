import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createApp } from '../../src/bootstrap';
import { DEMO_PASSWORD } from '../../src/demo/demo-data';
import { loadConfig } from '../../src/platform/config/config';
import type { DocumentStore } from '../../src/platform/document-store/document-store.port';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite-event-store';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner';
import { DOCUMENT_STORE } from '../../src/platform/tokens';
import { WorkflowRunner } from '../../src/platform/workflows/workflow-runner';
import { bearer, LOGINS, startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const DUPONT = '1001001818331';

describe('Operations: authentication on every endpoint, projections, shutdown', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses anonymous callers on every endpoint the OpenAPI document lists, except the public ones', async () => {
    const openApi = await t.http.get('/docs/openapi.json').expect(200);
    const publicPaths = new Set([
      '/health',
      '/health/ready',
      '/health/live',
      '/auth/login',
      '/auth/password/forgot',
      '/auth/password/reset',
      '/auth/activate',
      '/gdpr/downloads/{token}/{format}',
    ]);
    const calls: { method: string; path: string }[] = [];
    for (const [path, operations] of Object.entries(openApi.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(operations)) calls.push({ method, path });
    }
    expect(calls.length).toBeGreaterThanOrEqual(15);
    const head = await t.events.headPosition();
    for (const { method, path } of calls) {
      const url = path.replace(/\{[^}]+\}/g, 'x1');
      const res = await (t.http as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url).send({});
      if (publicPaths.has(path)) expect(res.status).toBeLessThan(500);
      else expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
    }
    expect(await t.events.headPosition()).toBe(head);
  });

  it('rebuilds a projection on request (staff) and keeps serving the same data', async () => {
    await t.http.post('/admin/projections/change-requests/rebuild').set(bearer(t.tokens.dupont)).expect(403);
    await t.http.post('/admin/projections/change-requests/rebuild').set(bearer(t.tokens.staff)).expect(403);
    await t.http.post('/admin/projections/nope/rebuild').set(bearer(t.tokens.admin)).expect(404);
    const before = await t.http.get(`/families/${DUPONT}`).set(bearer(t.tokens.staff)).expect(200);
    const rebuilt = await t.http.post('/admin/projections/family-record/rebuild').set(bearer(t.tokens.admin)).expect(200);
    expect(rebuilt.body).toMatchObject({ name: 'family-record', lagPositions: 0, rebuilding: false });
    // carried out by the runner that owns the projections (this process, in embedded mode), as a recorded request
    expect(rebuilt.body.request).toMatchObject({ projection: 'family-record', status: 'done', requestedBy: 'admin' });
    const followed = await t.http
      .get(`/admin/projections/family-record/rebuilds/${rebuilt.body.request.id}`)
      .set(bearer(t.tokens.admin))
      .expect(200);
    expect(followed.body).toMatchObject({ status: 'done', collection: rebuilt.body.collection });
    await t.http.get('/admin/projections/family-record/rebuilds/nope').set(bearer(t.tokens.admin)).expect(404);
    const after = await t.http.get(`/families/${DUPONT}`).set(bearer(t.tokens.staff)).expect(200);
    expect(after.body).toEqual(before.body);
    const statuses = await t.http.get('/admin/projections').set(bearer(t.tokens.auditor)).expect(200);
    expect(statuses.body.find((s: { name: string }) => s.name === 'family-record').collection).toBe(rebuilt.body.collection);
  });

  it('exposes projection lag and command counters as Prometheus metrics', async () => {
    await t.http
      .post(`/families/${DUPONT}/requests/tax`)
      .set(bearer(t.tokens.dupont))
      .send({ changes: { year: 2025 } })
      .expect(201);
    await t.settle();
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/projection_lag_positions\{projection="staff-queue"\} 0/);
    expect(metrics.text).toMatch(/commands_total\{command="RequestTaxInfoChange",outcome="accepted"\} 1/);
    expect(metrics.text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/families\/:familyId\/requests\/tax",status="201"\} 1/,
    );
  });
});

describe('Graceful shutdown', () => {
  it('loses no acknowledged command: every 201 answered before close is in the event log', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portail-shutdown-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      const app = await createApp(config);
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;
      const bodies: [string, unknown][] = [
        ['address', { person: 'guardian', address: { line1: '4 RUE NEUVE', postalCode: '07340', city: 'PEAUGRES' } }],
        ['tax', { changes: { year: 2025 } }],
        ['caf', { changes: { regime: 'CAF', allocataireNumber: '7654321', quotientFamilial: 640 } }],
        ['direct-debit', { accountHolder: 'MARTIN CLAIRE', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' }],
        ['child-addition', { child: { firstName: 'NOÉ', lastName: 'MARTIN', birthDate: '2024-01-10', sex: 'M' } }],
      ];
      const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ login: LOGINS.martin, password: DEMO_PASSWORD }),
      });
      const { token } = (await login.json()) as { token: string };
      let received = 0;
      app.getHttpServer().on('request', () => (received += 1));
      const inFlight = bodies.map(([kind, body]) =>
        fetch(`http://127.0.0.1:${port}/families/1001001818332/requests/${kind}`, {
          method: 'POST',
          headers: { ...bearer(token), 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }).then(
          async (res) => ({ status: res.status, body: (await res.json()) as { requestId?: string } }),
          (error: unknown) => ({ status: 0, body: { error: String(error) } as { requestId?: string } }),
        ),
      );
      // Close while the requests are being handled: the server stops accepting, finishes them, then the
      // stores close. Every request received must be answered, and every acknowledged one stored.
      await waitFor(() => received === bodies.length, { timeoutMs: 5000, intervalMs: 1 });
      await app.close();
      const answers = await Promise.all(inFlight);
      expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 201));
      const acknowledged = answers.map((a) => a.body.requestId);
      const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
      const stored = (await store.readStream('family-1001001818332')).map((e) => e.data['requestId']).filter(Boolean);
      await store.close();
      expect(stored).toEqual(expect.arrayContaining(acknowledged));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Expiring records: sessions and idempotency answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('purges idle sessions and, after 24 h, idempotency answers (as the MongoDB TTL indexes do)', async () => {
    const documents = t.app.get<DocumentStore>(DOCUMENT_STORE);
    await t.http
      .post(`/families/${DUPONT}/requests/tax`)
      .set(bearer(t.tokens.dupont))
      .set('Idempotency-Key', 'expiry-test-0001')
      .send({ changes: { year: 2025 } })
      .expect(201);
    const sessions = await documents.count('sessions');
    expect(sessions).toBe(Object.keys(LOGINS).length);
    expect(await documents.count('idempotency_keys')).toBe(1);
    expect(await documents.purgeExpired()).toBe(0);

    t.clock.advance(31 * 60_000); // 30 minutes without a request
    expect(await documents.purgeExpired()).toBe(sessions);
    expect(await documents.count('sessions')).toBe(0);
    expect(await documents.count('idempotency_keys')).toBe(1);
    await t.http.get('/auth/me').set(bearer(t.tokens.dupont)).expect(401);

    t.clock.advance(24 * 60 * 60_000);
    expect(await documents.purgeExpired()).toBe(1);
    expect(await documents.count('idempotency_keys')).toBe(0);
  });
});

describe('Readiness includes the workflows', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports workflow lag (positions and seconds) on /health and /metrics, and is not ready past 60 s', async () => {
    const ready = await t.http.get('/health').expect(200);
    expect(ready.body.workflows.length).toBeGreaterThan(0);
    expect(ready.body.workflows[0]).toMatchObject({ lagPositions: 0, lagSeconds: 0, running: true });

    await t.app.get(WorkflowRunner).stop(); // the workflows stop following the log (stuck, or their process died)
    await t.http
      .post(`/families/${DUPONT}/requests/tax`)
      .set(bearer(t.tokens.dupont))
      .send({ changes: { year: 2025 } })
      .expect(201);
    await t.app.get(ProjectionRunner).waitForPosition(await t.events.headPosition());
    t.clock.advance(61_000);

    const late = await t.http.get('/health/ready').expect(503);
    expect(late.body.projections.every((p: { lagPositions: number }) => p.lagPositions === 0)).toBe(true);
    expect(late.body.workflows[0]).toMatchObject({ lagPositions: 1, lagSeconds: 61, running: false });
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(new RegExp(`workflow_lag_seconds\\{workflow="${late.body.workflows[0].name}"\\} 61`));
    expect(metrics.text).toMatch(/workflow_lag_positions\{workflow="[^"]+"\} 1/);
  });
});
