/**
 * A full disk and a damaged file while the portal serves. SQLite's `max_page_count` makes a database
 * "full" on demand (no mount needed): writes must answer 503 STORAGE_FULL in French, never a 500, readiness
 * must say so, and both must recover by themselves when space returns. A page of the event log overwritten
 * while the portal runs must answer 503 STORAGE_CORRUPT and turn readiness red, never a silent 500.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import type Database from 'better-sqlite3';

import { DOCUMENT_STORE, EVENT_STORE } from '../../src/platform/tokens';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/** The adapter's own connection (the tests' way in: `max_page_count` is a per-connection setting). */
/** The SQLite connection under the EVENT_STORE token (through the key-loading decorator of crypto-shredding). */
const connectionOf = (store: unknown) => (((store as { inner?: unknown }).inner ?? store) as { db: Database.Database }).db;

const family = (familyNumber: string) => ({
  familyNumber,
  commune: 'SAINT-JEAN',
  guardian: {
    civility: 'Mme',
    lastName: 'PLEIN',
    firstName: 'ANNE',
    quality: 'Mère',
    situation: 'Marié(e)',
    address: { line1: '1 RUE', postalCode: '31400', city: 'SAINT-JEAN' },
    phones: {},
    emailConsent: false,
    smsConsent: false,
    organismeRattachement: '0',
  },
});

describe('storage trouble while serving', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('a full event log: 503 STORAGE_FULL, readiness red, both recover when space returns', async () => {
    const db = connectionOf(t.app.get(EVENT_STORE));
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const staff = bearer(t.tokens.staff);
    let answer = await t.http.post('/families').set(staff).send(family('1001001900001'));
    for (let i = 2; answer.status === 201 && i < 200; i++) {
      answer = await t.http
        .post('/families')
        .set(staff)
        .send(family(`10010019${String(i).padStart(5, '0')}`));
    }
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ code: 'STORAGE_FULL', message: expect.stringContaining('stockage du portail est plein') });
    const health = await t.http.get('/health').expect(503);
    expect(health.body.storage).toEqual([expect.objectContaining({ store: 'eventStore', code: 'STORAGE_FULL' })]);

    db.pragma(`max_page_count = ${pages * 100}`);
    await t.http.get('/health').expect(200); // readiness' probe found room again, without any request
    await t.http.post('/families').set(staff).send(family('1001001999999')).expect(201);
  });

  it('full read models: projections stop, readiness says so, and catch up when space returns', async () => {
    const db = connectionOf(t.app.get(DOCUMENT_STORE));
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const staff = bearer(t.tokens.staff);
    // commands still succeed (the event log has room); sessions and projections need the read models
    for (let i = 0; i < 40; i++)
      await t.http
        .post('/families')
        .set(staff)
        .send(family(`10010018${String(i).padStart(5, '0')}`));
    await waitFor(async () => (await t.http.get('/health')).body.storage?.[0]?.code === 'STORAGE_FULL', { timeoutMs: 5000 });
    expect((await t.http.get('/health')).status).toBe(503);

    db.pragma(`max_page_count = ${pages * 100}`);
    await waitFor(async () => (await t.http.get('/health')).status === 200, { timeoutMs: 10_000 });
    await t.settle();
    await t.http.get('/families/1001001800039').set(staff).expect(200);
  });

  it('a damaged page of the event log read while serving: 503 STORAGE_CORRUPT and readiness red, no 500', async () => {
    const staff = bearer(t.tokens.staff);
    const ids = Array.from({ length: 150 }, (_, i) => `10010017${String(i).padStart(5, '0')}`);
    for (const id of ids) await t.http.post('/families').set(staff).send(family(id)).expect(201);
    await t.settle();
    const db = connectionOf(t.app.get(EVENT_STORE));
    db.pragma('wal_checkpoint(TRUNCATE)'); // the pages are in events.sqlite itself now
    const file = join(t.dataDir, 'events.sqlite');
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    const garbage = Buffer.alloc(64 * 1024, 0x5a);
    writeSync(fd, garbage, 0, garbage.length, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    // as under memory pressure: the connection's page cache no longer holds those pages
    db.pragma('cache_size = 0');
    db.pragma('cache_size = -2000');

    const statuses = new Map<number, number>();
    const codes = new Set<string>();
    for (const id of ids) {
      const answer = await t.http.get(`/families/${id}/history`).set(bearer(t.tokens.auditor));
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status >= 500) codes.add(answer.body.code);
    }
    expect(statuses.get(500)).toBeUndefined();
    expect(statuses.get(503)).toBeGreaterThan(0);
    expect([...codes]).toEqual(['STORAGE_CORRUPT']);
    const health = await t.http.get('/health').expect(503);
    expect(health.body.storage).toEqual([expect.objectContaining({ store: 'eventStore', code: 'STORAGE_CORRUPT' })]);
  });
});
