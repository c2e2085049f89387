/**
 * Issue 13 end to end: « Liste des demandes » with reservations and absences, the auditors' whole family history
 * across its streams, state at an instant beside today's, the consistency check, and the GDPR erasure read back
 * from the raw SQLite rows.
 */
import { join } from 'node:path';

import { DEMO_PASSWORD } from '../../src/demo/demo-data';
import { addDays, isoWeekday, parisDateOf } from '../../src/modules/planning/calendar/local-date';
import { officialSchoolCalendar } from '../../src/modules/planning/calendar/official-school-calendar';
import { runsOn, schoolYearOf } from '../../src/modules/planning/calendar/school-calendar';
import { ALSH_MERCREDI_CONFIG } from '../../src/modules/planning/catalog/catalog.examples';
import type { Activity } from '../../src/modules/planning/planning.types';
import type { DocumentStore } from '../../src/platform/document-store/document-store.port';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner';
import Database from '../../src/platform/sqlite/sqlite-driver';
import { DOCUMENT_STORE } from '../../src/platform/tokens';
import { bearer, E2E_NOW, LOGINS, startTestApp, TestApp } from '../support/test-app';

const DUPONT = '1001001818331';
const MARTIN = '1001001818332';
const LUCIE = 'enfant-lucie-dupont';
const ACTIVITY_ID = 'audit-mercredi';
const config = {
  ...ALSH_MERCREDI_CONFIG,
  name: 'Mercredi audit',
  placesPerDay: 10,
  bookingDeadline: { kind: 'days-before', days: 2, time: '12:00', skip: { weekends: false, publicHolidays: false, weekdays: [] } },
  cancellationDeadline: { kind: 'days-before', days: 2, time: '12:00', skip: { weekends: false, publicHolidays: false, weekdays: [] } },
  bookingWindows: [],
} as const;
const DAY_MS = 86_400_000;

/** Wednesdays the activity runs on, at least `afterDays` days after `now`. */
function wednesdays(count: number, now: Date, afterDays: number): string[] {
  const calendar = officialSchoolCalendar('C');
  const found: string[] = [];
  let day = addDays(parisDateOf(now.toISOString()), afterDays);
  for (let i = 0; i < 400 && found.length < count; i++, day = addDays(day, 1)) {
    if (isoWeekday(day) === 3 && runsOn({ ...config, activityId: ACTIVITY_ID, facilityId: 'x' } as unknown as Activity, day, calendar).runs)
      found.push(day);
  }
  if (found.length < count) throw new Error('the shipped school calendar has no Wednesdays left');
  return found;
}

type Item = { requestId: string; type: string; status: string; section: string; [key: string]: unknown };
type Row = { position: number; type: string; context: string; streamId: string; userId: string | null; correlationId: string | null };

describe('Audit and GDPR over HTTP (embedded runtime)', () => {
  let t: TestApp;
  let days: string[];
  const ids: { booked?: string; refusedDay?: string; absence?: string } = {};

  beforeAll(async () => {
    t = await startTestApp();
    days = wednesdays(3, t.clock.now(), 45);
    const staff = bearer(t.tokens.staff);
    await t.http
      .post('/facilities')
      .set(staff)
      .send({ facilityId: 'audit-centre', name: 'Centre audit', commune: 'SAINT-JEAN' })
      .expect(201);
    await t.http
      .post('/facilities/audit-centre/activities')
      .set(staff)
      .send({ activityId: ACTIVITY_ID, ...config })
      .expect(201);
    await t.http
      .post(`/families/${DUPONT}/enrolments`)
      .set(staff)
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, schoolYear: schoolYearOf(days[0]) })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Sessions do not last a month: log in again at the new instant. */
  async function moveClockTo(instant: Date): Promise<void> {
    t.clock.set(instant);
    for (const name of ['dupont', 'martin', 'staff', 'auditor', 'admin'] as const) {
      const res = await t.http.post('/auth/login').send({ login: LOGINS[name], password: DEMO_PASSWORD }).expect(200);
      t.tokens[name] = res.body.token;
    }
  }

  const list = async (query = '') =>
    (await t.http.get(`/families/${DUPONT}/requests${query}`).set(bearer(t.tokens.dupont)).expect(200)).body as {
      items: Item[];
      accepted: Item[];
      refused: Item[];
      cancelled: Item[];
    };

  it('lists a reservation and an absence in « Liste des demandes » with their state, and filters them', async () => {
    const parent = bearer(t.tokens.dupont);
    const booked = await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(parent)
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, date: days[0] });
    expect(booked.status).toBe(201);
    ids.booked = booked.body.requestId;
    const second = await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(parent)
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, date: days[1] })
      .expect(201);
    await t.settle();
    const absence = await t.http
      .post(`/families/${DUPONT}/absences`)
      .set(parent)
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, from: days[1], to: days[1] })
      .expect(201);
    ids.absence = absence.body.absenceId;
    ids.refusedDay = second.body.requestId;
    await t.settle();

    const all = await list();
    const reservation = all.items.find((i) => i.requestId === ids.booked);
    expect(reservation).toMatchObject({
      section: 'children',
      type: 'reservation',
      typeLabel: 'Réservations',
      status: 'accepted',
      statusLabel: 'Acceptée',
      childId: LUCIE,
      activityId: ACTIVITY_ID,
      dates: [days[0]],
      requestedAt: expect.any(String),
      acceptedAt: expect.any(String),
    });
    const absent = all.items.find((i) => i.type === 'absence');
    expect(absent).toMatchObject({
      section: 'children',
      typeLabel: 'Absences',
      childId: LUCIE,
      dates: [days[1]],
      absenceDays: [expect.objectContaining({ date: days[1], outcome: 'excused', label: 'Absence excusée', why: expect.any(String) })],
    });
    expect(all.accepted.map((i) => i.requestId)).toContain(ids.booked);

    const reservations = await list('?section=children&type=reservation');
    expect(reservations.items.length).toBeGreaterThanOrEqual(2);
    expect(reservations.items.every((i) => i.type === 'reservation')).toBe(true);
    const absences = await list('?type=absence');
    expect(absences.items.map((i) => i.type)).toEqual(['absence']);
    expect((await list('?section=account')).items.every((i) => i.section === 'account')).toBe(true);
    expect((await list('?type=reservation&status=refused')).items).toEqual([]);
    await t.http.get(`/families/${DUPONT}/requests?status=lost`).set(parent).expect(400);
  });

  it("gives auditors DUPONT's whole history across its streams, in commit order, paged and exported", async () => {
    const auditor = bearer(t.tokens.auditor);
    const full = (await t.http.get(`/families/${DUPONT}/audit/events?limit=1000`).set(auditor).expect(200)).body as {
      items: Row[];
      nextCursor: string | null;
    };
    expect(full.nextCursor).toBeNull();
    const rows = full.items;
    const positions = rows.map((r) => r.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const types = rows.map((r) => r.type);
    // record, planning, the allocation decisions and the family's user accounts, in that order of the log
    expect(types.indexOf('FamilyRegistered')).toBeGreaterThanOrEqual(0);
    expect(types.indexOf('AccountCreated')).toBeGreaterThanOrEqual(0);
    expect(types.indexOf('ChildEnrolled')).toBeGreaterThan(types.indexOf('FamilyRegistered'));
    expect(types.indexOf('ReservationRequested')).toBeGreaterThan(types.indexOf('ChildEnrolled'));
    expect(types.indexOf('PlaceAllocated')).toBeGreaterThan(types.indexOf('ReservationRequested'));
    expect(types.indexOf('AbsenceDeclared')).toBeGreaterThan(types.indexOf('PlaceAllocated'));
    expect(new Set(rows.map((r) => r.context))).toEqual(new Set(['families', 'identity', 'planning', 'audit', 'inbox', 'billing']));
    const allocation = rows.find((r) => r.type === 'PlaceAllocated')!;
    expect(allocation.streamId).toMatch(/^allocation-/);
    const requested = rows.find((r) => r.type === 'ReservationRequested')!;
    expect(requested).toMatchObject({ userId: expect.any(String), correlationId: expect.any(String) });

    // the cursor walks the same list
    const paged: Row[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Row[]; nextCursor: string | null } = (
        await t.http
          .get(`/families/${DUPONT}/audit/events?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
          .set(auditor)
          .expect(200)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(7);
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    // reads of sensitive data by the auditor are appended meanwhile: the walk sees at least the first read
    expect(paged.slice(0, rows.length).map((r) => r.position)).toEqual(positions);

    const planning = (await t.http.get(`/families/${DUPONT}/audit/events?context=planning&limit=1000`).set(auditor).expect(200)).body;
    expect(planning.items.length).toBeGreaterThan(0);
    expect(planning.items.every((r: Row) => r.context === 'planning')).toBe(true);
    const only = (await t.http.get(`/families/${DUPONT}/audit/events?types=ReservationRequested,AbsenceDeclared`).set(auditor).expect(200))
      .body;
    expect(new Set(only.items.map((r: Row) => r.type))).toEqual(new Set(['ReservationRequested', 'AbsenceDeclared']));
    const future = (await t.http.get(`/families/${DUPONT}/audit/events?from=2099-01-01T00:00:00Z`).set(auditor).expect(200)).body;
    expect(future.items).toEqual([]);

    const jsonl = await t.http.get(`/families/${DUPONT}/audit/events/export?format=jsonl`).set(auditor).expect(200);
    expect(jsonl.headers['content-type']).toMatch(/application\/x-ndjson/);
    expect(jsonl.headers['content-disposition']).toMatch(/attachment; filename="historique-1001001818331-.*\.jsonl"/);
    const lines = jsonl.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    expect(lines.slice(0, rows.length).map((r) => r.position)).toEqual(positions);
    const csv = await t.http.get(`/families/${DUPONT}/audit/events/export?format=csv&context=planning`).set(auditor).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const csvLines = csv.text.trim().split('\r\n');
    expect(csvLines[0]).toBe('position,recordedAt,context,streamId,revision,type,userId,role,correlationId,causationId,data');
    expect(csvLines).toHaveLength(planning.items.length + 1);

    await t.http.get(`/families/${DUPONT}/audit/events`).set(bearer(t.tokens.dupont)).expect(403);
    await t.http.get(`/families/${DUPONT}/audit/events`).set(bearer(t.tokens.staff)).expect(403);
  });

  it('replays the record and a grid at an instant last month, which differ from today', async () => {
    const lastMonth = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    await moveClockTo(new Date(new Date(E2E_NOW).getTime() + 31 * DAY_MS));
    const parent = bearer(t.tokens.dupont);
    await t.http.post(`/families/${DUPONT}/reservations/${ids.booked}/cancel`).set(parent).send({}).expect(200);
    const asked = await t.http
      .post(`/families/${DUPONT}/requests/address`)
      .set(parent)
      .send({ person: 'guardian', address: { line1: '5 AVENUE DES CERISIERS', postalCode: '31400', city: 'SAINT-JEAN' } })
      .expect(201);
    await t.http.post(`/families/${DUPONT}/requests/${asked.body.requestId}/accept`).set(bearer(t.tokens.staff)).send({}).expect(200);
    await t.settle();

    // older than a month: out of the list, not out of the log
    expect((await list('?type=reservation')).items.map((i) => i.requestId)).not.toContain(ids.booked);

    const month = days[0].slice(0, 7);
    const state = (
      await t.http
        .get(`/families/${DUPONT}/audit/state?at=${encodeURIComponent(lastMonth)}&childId=${LUCIE}&month=${month}`)
        .set(bearer(t.tokens.auditor))
        .expect(200)
    ).body;
    expect(state.record.atInstant.guardian.address.line1).toBe('12 RUE DES BONBONS');
    expect(state.record.today.guardian.address.line1).toBe('5 AVENUE DES CERISIERS');
    const cell = (grid: { rows: Record<string, { days: Record<string, { reservation?: { status: string } }> }> }) =>
      JSON.stringify(grid.rows[ACTIVITY_ID]);
    expect(cell(state.planning.atInstant)).not.toEqual(cell(state.planning.today));
    expect(JSON.stringify(state.planning.atInstant)).toContain(ids.booked);
    const before = (await t.http.get(`/families/${DUPONT}/audit/state?at=2020-01-01T00:00:00Z`).set(bearer(t.tokens.auditor)).expect(200))
      .body;
    expect(before.record.atInstant).toBeNull();
  });

  it('passes the consistency check, and reports a tampered read model without fixing it', async () => {
    const auditor = bearer(t.tokens.auditor);
    const ok = (await t.http.get(`/families/${DUPONT}/audit/consistency`).set(auditor).expect(200)).body;
    expect(ok.projections.map((p: { projection: string }) => p.projection)).toEqual(
      expect.arrayContaining(['family-record', 'planning-grid', 'family-requests']),
    );
    expect(ok.projections.filter((p: { differences: string[] }) => p.differences.length > 0)).toEqual([]);
    expect(ok.consistent).toBe(true);

    const documents = t.app.get<DocumentStore>(DOCUMENT_STORE);
    const collection = await t.app.get(ProjectionRunner).collectionOf('family-record');
    const live = (await documents.get<Record<string, unknown>>(collection, DUPONT))!;
    const guardian = live.data.guardian as Record<string, unknown>;
    await documents.put(collection, DUPONT, { ...live.data, guardian: { ...guardian, lastName: 'FALSIFIÉ' } }, live.version);

    const bad = (await t.http.get(`/families/${DUPONT}/audit/consistency`).set(auditor).expect(200)).body;
    expect(bad.consistent).toBe(false);
    const record = bad.projections.find((p: { projection: string }) => p.projection === 'family-record');
    expect(record.differences).toEqual([`${DUPONT} : diffère du rejeu du journal`]);
    // reported, never fixed
    expect(((await documents.get<Record<string, unknown>>(collection, DUPONT))!.data.guardian as { lastName: string }).lastName).toBe(
      'FALSIFIÉ',
    );
    await t.http.get(`/families/${MARTIN}/audit/consistency`).set(auditor).expect(200);
    await t.http.get(`/families/${DUPONT}/audit/consistency`).set(bearer(t.tokens.dupont)).expect(403);
  });

  it('keeps the staff action trail for the DPO: staff decisions and reads of sensitive data, by staff member and by family', async () => {
    await t.settle();
    const auditor = bearer(t.tokens.auditor);
    type Action = { userId: string; kind: string; action: string; familyId: string | null; at: string };
    const byFamily = (await t.http.get(`/audit/staff-actions?familyId=${DUPONT}&limit=1000`).set(auditor).expect(200)).body as {
      items: Action[];
    };
    expect(byFamily.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: 'agent.saint-jean', kind: 'decision', action: 'ChildEnrolled', familyId: DUPONT }),
        expect.objectContaining({ userId: 'agent.saint-jean', kind: 'decision', action: 'ChangeRequestAccepted', familyId: DUPONT }),
        expect.objectContaining({ userId: 'auditeur', kind: 'sensitive-read', action: 'GET /families/:familyId/audit/events' }),
      ]),
    );
    expect(byFamily.items.every((a) => a.familyId === DUPONT)).toBe(true);
    const ats = byFamily.items.map((a) => a.at);
    expect(ats).toEqual([...ats].sort().reverse());
    // parents' own actions are not staff actions
    expect(byFamily.items.some((a) => a.action === 'ReservationRequested')).toBe(false);
    const byAgent = (await t.http.get('/audit/staff-actions?userId=agent.saint-jean&limit=2').set(auditor).expect(200)).body;
    expect(byAgent.items).toHaveLength(2);
    expect(byAgent.items.every((a: Action) => a.userId === 'agent.saint-jean')).toBe(true);
    expect(byAgent.nextCursor).toEqual(expect.any(String));
    await t.http.get('/audit/staff-actions').set(auditor).expect(422);
    await t.http.get(`/audit/staff-actions?familyId=${DUPONT}`).set(bearer(t.tokens.staff)).expect(403);
  });

  it('exports the family data as JSON and a French summary, through a job and a link that expires', async () => {
    const parent = bearer(t.tokens.dupont);
    const asked = await t.http.post(`/families/${DUPONT}/gdpr/exports`).set(parent).expect(202);
    expect(asked.body).toMatchObject({ exportId: expect.any(String), status: 'pending' });
    await t.http.post(`/families/${DUPONT}/gdpr/exports`).set(bearer(t.tokens.martin)).expect(404);
    await t.http.post(`/families/${DUPONT}/gdpr/exports`).set(bearer(t.tokens.auditor)).expect(403);
    let status: { status: string; downloads?: { json: string; html: string }; expiresAt?: string } = { status: 'pending' };
    for (let i = 0; i < 100 && status.status === 'pending'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await t.http.get(`/families/${DUPONT}/gdpr/exports/${asked.body.exportId}`).set(parent).expect(200)).body;
    }
    expect(status.status).toBe('ready');
    const json = await t.http.get(status.downloads!.json).expect(200);
    const data = JSON.parse(json.text) as { record: { guardian: { lastName: string } }; requests: unknown[]; events: Row[] };
    expect(data.record.guardian.lastName).toBe('DUPONT');
    expect(data.requests.length).toBeGreaterThan(0);
    const contexts = data.events.map((e) => e.context);
    expect(contexts).toContain('families');
    expect(contexts).toContain('planning');
    const html = await t.http.get(status.downloads!.html).expect(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.text).toContain('<html lang="fr">');
    expect(html.text).toContain('Vos données personnelles');
    expect(html.text).toContain('DUPONT');
    expect(html.text).toContain('Réservations');
    await t.http.get(`/families/${MARTIN}/gdpr/exports/${asked.body.exportId}`).set(bearer(t.tokens.martin)).expect(404);

    // the link expires
    await moveClockTo(new Date(Date.parse(status.expiresAt!) + 1000));
    await t.http.get(status.downloads!.json).expect(404);
    const later = (await t.http.get(`/families/${DUPONT}/gdpr/exports/${asked.body.exportId}`).set(bearer(t.tokens.dupont)).expect(200))
      .body;
    expect(later).toMatchObject({ status: 'expired' });
    expect(later.downloads).toBeUndefined();
  });

  it('erases DUPONT: no readable personal field in the raw rows, read models say « données effacées », MARTIN untouched', async () => {
    const admin = bearer(t.tokens.admin);
    const raw = new Database(join(t.dataDir, 'events.sqlite'), { readonly: true });
    const dataOf = (familyId: string) =>
      (
        raw.prepare('SELECT e.data FROM event_families f JOIN events e USING (position) WHERE f.family_id = ?').all(familyId) as {
          data: string;
        }[]
      ).map((r) => r.data);
    try {
      // encrypted from the first write: the raw rows never held the address in clear
      const before = dataOf(DUPONT).join('\n');
      expect(before).toContain('pii:v1:');
      for (const clear of ['BONBONS', 'CERISIERS', 'wanadoo.fr', '01 02 03 04 05']) expect(before).not.toContain(clear);

      await t.http.post(`/families/${DUPONT}/gdpr/erasure`).set(admin).send({ confirmFamilyId: MARTIN }).expect(422);
      await t.http.post(`/families/${DUPONT}/gdpr/erasure`).set(bearer(t.tokens.staff)).send({ confirmFamilyId: DUPONT }).expect(403);
      const erased = await t.http.post(`/families/${DUPONT}/gdpr/erasure`).set(admin).send({ confirmFamilyId: DUPONT }).expect(202);
      const runner = t.app.get(ProjectionRunner);
      for (const { requestId } of erased.body.rebuilds as { requestId: string | null }[]) {
        if (requestId) expect((await runner.waitForRebuild(requestId, 30_000)).status).toBe('done');
      }
      await t.settle();

      const keys = raw.prepare('SELECT key, erased_at FROM family_keys WHERE family_id = ?').get(DUPONT) as {
        key: Buffer | null;
        erased_at: string;
      };
      expect(keys.key).toBeNull();
      expect(keys.erased_at).toEqual(expect.any(String));

      const record = (await t.http.get(`/families/${DUPONT}`).set(admin).expect(200)).body;
      expect(record.guardian.lastName).toBe('données effacées');
      expect(record.guardian.address.line1).toBe('données effacées');
      expect(record.familyNumber).toBe(DUPONT);
      const history = (await t.http.get(`/families/${DUPONT}/audit/events?limit=1000`).set(bearer(t.tokens.auditor)).expect(200)).body;
      const registered = history.items.find((r: Row) => r.type === 'FamilyRegistered');
      expect(registered.data.guardian.lastName).toBe('données effacées');
      expect(history.items.map((r: Row) => r.type)).toContain('FamilyDataErased');
      // the consistency check holds after the rebuild (the tampered document was rebuilt from the log)
      expect((await t.http.get(`/families/${DUPONT}/audit/consistency`).set(bearer(t.tokens.auditor)).expect(200)).body.consistent).toBe(
        true,
      );

      const martin = (await t.http.get(`/families/${MARTIN}`).set(admin).expect(200)).body;
      expect(martin.guardian.lastName).toBe('MARTIN');
      expect(dataOf(MARTIN).join('\n')).toContain('pii:v1:');

      // nothing new is recorded for an erased family
      const refused = await t.http
        .post(`/families/${DUPONT}/requests/address`)
        .set(bearer(t.tokens.dupont))
        .send({ person: 'guardian', address: { line1: '1 RUE NEUVE', postalCode: '31400', city: 'SAINT-JEAN' } });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('FAMILY_ERASED');
    } finally {
      raw.close();
    }
  });

  it("applies a commune's retention rule: families inactive for longer are erased, each erasure an event", async () => {
    const admin = bearer(t.tokens.admin);
    await t.http.put('/admin/retention-rules/PEAUGRES').set(bearer(t.tokens.staff)).send({ eraseAfterInactiveMonths: 1 }).expect(403);
    await t.http.put('/admin/retention-rules/PEAUGRES').set(admin).send({ eraseAfterInactiveMonths: 0 }).expect(400);
    await t.http.put('/admin/retention-rules/PEAUGRES').set(admin).send({ eraseAfterInactiveMonths: 1 }).expect(200);
    expect((await t.http.get('/admin/retention-rules').set(admin).expect(200)).body.rules).toEqual([
      { commune: 'PEAUGRES', eraseAfterInactiveMonths: 1 },
    ]);
    // MARTIN (PEAUGRES) has done nothing since the demo data was written, over a month ago
    const run = (await t.http.post('/admin/retention-rules/apply').set(admin).send({}).expect(201)).body as {
      erased: { familyId: string }[];
      rebuilds: { requestId: string | null }[];
    };
    expect(run.erased.map((e) => e.familyId)).toEqual([MARTIN]);
    const runner = t.app.get(ProjectionRunner);
    for (const { requestId } of run.rebuilds) if (requestId) expect((await runner.waitForRebuild(requestId, 30_000)).status).toBe('done');
    await t.settle();
    const martin = (await t.http.get(`/families/${MARTIN}`).set(admin).expect(200)).body;
    expect(martin.guardian.lastName).toBe('données effacées');
    const history = (await t.http.get(`/families/${MARTIN}/audit/events?types=FamilyDataErased`).set(bearer(t.tokens.auditor)).expect(200))
      .body;
    expect(history.items).toEqual([
      expect.objectContaining({ type: 'FamilyDataErased', userId: 'system', data: expect.objectContaining({ reason: 'retention' }) }),
    ]);
    // a second run erases nothing more
    expect((await t.http.post('/admin/retention-rules/apply').set(admin).send({}).expect(201)).body.erased).toEqual([]);
  });
});
