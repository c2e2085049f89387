import { openOffers } from '../../projections/open-offers/open-offers.queries';
import { OFFER_EXPIRY_JOB, offerExpiryJobId } from '../../src/modules/planning/allocation/allocation-follow-ups.workflow';
import { OfferExpiryJob } from '../../src/modules/planning/allocation/offer-expiry.job';
import { addDays, isoWeekday, parisDateOf } from '../../src/modules/planning/calendar/local-date';
import { officialSchoolCalendar } from '../../src/modules/planning/calendar/official-school-calendar';
import { runsOn, schoolYearOf } from '../../src/modules/planning/calendar/school-calendar';
import { ALSH_MERCREDI_CONFIG } from '../../src/modules/planning/catalog/catalog.examples';
import type { Activity } from '../../src/modules/planning/planning.types';
import type { JobScheduler } from '../../src/platform/jobs/job-scheduler.port';
import { ReadModels } from '../../src/platform/projections/read-models';
import { JOB_SCHEDULER } from '../../src/platform/tokens';
import { bearer, startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const DUPONT = '1001001818331';
const LUCIE = 'enfant-lucie-dupont';
const OTHER = '1001001818500';

/** A Wednesday leisure centre with ONE place, bookable until J-2 12:00, always open (no booking window). */
const ACTIVITY_ID = 'test-mercredi';
const config = {
  ...ALSH_MERCREDI_CONFIG,
  name: 'Mercredi test',
  placesPerDay: 1,
  bookingDeadline: { kind: 'days-before', days: 2, time: '12:00', skip: { weekends: false, publicHolidays: false, weekdays: [] } },
  cancellationDeadline: { kind: 'days-before', days: 2, time: '12:00', skip: { weekends: false, publicHolidays: false, weekdays: [] } },
  bookingWindows: [],
} as const;

/** The next Wednesdays the activity runs on, at least two weeks after `now` (so every deadline is ahead). */
function nextWednesdays(count: number, now: Date): string[] {
  const calendar = officialSchoolCalendar('C');
  const found: string[] = [];
  let day = addDays(parisDateOf(now.toISOString()), 14);
  for (let i = 0; i < 400 && found.length < count; i++, day = addDays(day, 1)) {
    if (isoWeekday(day) === 3 && runsOn({ ...config, activityId: ACTIVITY_ID, facilityId: 'x' } as unknown as Activity, day, calendar).runs)
      found.push(day);
  }
  if (found.length < count) throw new Error('the shipped school calendar has no Wednesdays left: extend official-school-calendar.ts');
  return found;
}

describe('Planning: reservations, places and waiting list over HTTP (embedded runtime)', () => {
  let t: TestApp;
  let days: string[];
  let otherChild: string;

  beforeAll(async () => {
    t = await startTestApp();
    days = nextWednesdays(4, t.clock.now());
    const staff = bearer(t.tokens.staff);
    await t.http
      .post('/facilities')
      .set(staff)
      .send({ facilityId: 'test-centre', name: 'Centre de test', commune: 'SAINT-JEAN' })
      .expect(201);
    await t.http
      .post('/facilities/test-centre/activities')
      .set(staff)
      .send({ activityId: ACTIVITY_ID, ...config })
      .expect(201);
    const family = await t.http
      .post('/families')
      .set(staff)
      .send({
        familyNumber: OTHER,
        commune: 'SAINT-JEAN',
        guardian: {
          civility: 'Mme',
          lastName: 'PETIT',
          firstName: 'NINA',
          quality: 'Mère',
          situation: 'Célibataire',
          address: { line1: '8 RUE BASSE', postalCode: '31400', city: 'SAINT-JEAN' },
          phones: {},
          email: 'nina.petit@example.fr',
          emailConsent: true,
          smsConsent: false,
          organismeRattachement: 'CAF',
        },
        children: [{ firstName: 'TOM', lastName: 'PETIT', birthDate: '2017-02-02', sex: 'M' }],
      })
      .expect(201);
    expect(family.body.familyId).toBe(OTHER);
    await t.settle();
    const record = await t.http.get(`/families/${OTHER}`).set(staff).expect(200);
    otherChild = record.body.children[0].childId;
    const schoolYear = schoolYearOf(days[0]);
    await t.http
      .post(`/families/${DUPONT}/enrolments`)
      .set(staff)
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, schoolYear })
      .expect(201);
    await t.http
      .post(`/families/${OTHER}/enrolments`)
      .set(staff)
      .send({ childId: otherChild, activityId: ACTIVITY_ID, schoolYear })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const dayList = async (date: string) =>
    (await t.http.get(`/activities/${ACTIVITY_ID}/days/${date}`).set(bearer(t.tokens.staff)).expect(200)).body;

  it('refuses at once, with the rule and a French reason: not running, not enrolled, unknown activity', async () => {
    const parent = bearer(t.tokens.dupont);
    const saturday = addDays(days[0], 3);
    const closed = await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(parent)
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, date: saturday })
      .expect(422);
    expect(closed.body).toMatchObject({ code: 'ACTIVITY_NOT_RUNNING', message: expect.stringMatching(/samedi/) });
    const yesterdayish = parisDateOf(new Date(t.clock.now().getTime() - 2 * 86_400_000).toISOString());
    const late = await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(parent)
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, date: yesterdayish });
    expect(late.status).toBe(422);
    await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(parent)
      .send({ childId: LUCIE, activityId: 'nope', date: days[0] })
      .expect(404);
    const notEnrolled = await t.http
      .post(`/families/${OTHER}/reservations`)
      .set(bearer(t.tokens.staff))
      .send({ childId: otherChild, activityId: 'restauration-scolaire', date: days[0] })
      .expect(422);
    expect(notEnrolled.body.code).toBe('NOT_ENROLLED');
    const outside = await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(parent)
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, date: '2031-01-08' })
      .expect(422);
    // Not enrolled for 2030-2031 comes first: the rules answer with the first rule the day breaks.
    expect(['NOT_ENROLLED', 'OUTSIDE_SCHOOL_YEAR']).toContain(outside.body.code);
    expect(outside.body.message).toEqual(expect.any(String));
    await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(parent)
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, date: '2027-02-30' })
      .expect(400);
    await t.http.post(`/families/${DUPONT}/reservations/no-such-request/cancel`).set(parent).send({}).expect(404);
    await t.http
      .post(`/families/${DUPONT}/reservations/typical-week`)
      .set(parent)
      .send({ from: days[1], to: days[0], lines: [{ childId: LUCIE, activityId: ACTIVITY_ID, weekdays: [3] }] })
      .expect(400);
  });

  it('allocates the last place first come first served, wait-lists the next family, and offers the freed place by e-mail', async () => {
    const date = days[0];
    const first = await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(bearer(t.tokens.dupont))
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, date })
      .expect(201);
    const again = await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(bearer(t.tokens.dupont))
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, date })
      .expect(409);
    expect(again.body.code).toBe('ALREADY_BOOKED');
    const second = await t.http
      .post(`/families/${OTHER}/reservations`)
      .set(bearer(t.tokens.staff))
      .send({ childId: otherChild, activityId: ACTIVITY_ID, date })
      .expect(201);

    await waitFor(async () => (await dayList(date)).waiting.length === 1, { timeoutMs: 5000, intervalMs: 20 });
    const before = await dayList(date);
    expect(before).toMatchObject({ places: 1, taken: 1, free: 0 });
    expect(before.allocated.map((r: { requestId: string }) => r.requestId)).toEqual([first.body.requestId]);
    expect(before.waiting).toEqual([expect.objectContaining({ requestId: second.body.requestId, familyId: OTHER, rank: 1 })]);

    await t.http.post(`/families/${DUPONT}/reservations/${first.body.requestId}/cancel`).set(bearer(t.tokens.dupont)).send({}).expect(200);
    const twice = await t.http
      .post(`/families/${DUPONT}/reservations/${first.body.requestId}/cancel`)
      .set(bearer(t.tokens.dupont))
      .send({})
      .expect(409);
    expect(twice.body.code).toBe('NOT_BOOKED');
    await waitFor(async () => (await dayList(date)).offered.length === 1, { timeoutMs: 5000, intervalMs: 20 });
    await waitFor(
      async () => {
        const mails = (await t.http.get('/admin/outbox?to=nina.petit@example.fr').set(bearer(t.tokens.admin)).expect(200)).body.items;
        return mails.some((m: { subject: string }) => /place se libère/i.test(m.subject));
      },
      { timeoutMs: 5000, intervalMs: 50 },
    );
    await t.http
      .post(`/families/${DUPONT}/reservations/${second.body.requestId}/offer/accept`)
      .set(bearer(t.tokens.dupont))
      .send({})
      .expect(404);
    await t.http
      .post(`/families/${OTHER}/reservations/${second.body.requestId}/offer/accept`)
      .set(bearer(t.tokens.staff))
      .send({})
      .expect(200);
    const after = await dayList(date);
    expect(after.allocated.map((r: { requestId: string }) => r.requestId)).toEqual([second.body.requestId]);
    expect(after.taken).toBe(1);
    // Attendance is recorded on the day itself, not in advance.
    const early = await t.http
      .post(`/activities/${ACTIVITY_ID}/days/${date}/attendance`)
      .set(bearer(t.tokens.staff))
      .send({ entries: [{ familyId: OTHER, childId: otherChild, status: 'present' }] })
      .expect(422);
    expect(early.body.code).toBe('DAY_NOT_STARTED');
  });

  it('gives the new places of an activity to the waiting list in order', async () => {
    const date = days[0];
    const waiting = await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(bearer(t.tokens.dupont))
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, date })
      .expect(201);
    await t.settle();
    expect((await dayList(date)).waiting.map((r: { requestId: string }) => r.requestId)).toEqual([waiting.body.requestId]);
    await t.http
      .put(`/facilities/test-centre/activities/${ACTIVITY_ID}`)
      .set(bearer(t.tokens.staff))
      .send({ ...config, placesPerDay: 2 })
      .expect(200);
    await t.settle();
    const after = await dayList(date);
    expect(after).toMatchObject({ places: 2, taken: 2, waiting: [] });
    expect(after.offered.map((r: { requestId: string }) => r.requestId)).toEqual([waiting.body.requestId]);
  });

  it('schedules again the expiry of an open offer that the job store lost (start-up reconciliation)', async () => {
    const date = days[0];
    const [offered] = (await dayList(date)).offered as { requestId: string }[];
    const streamId = `allocation-${ACTIVITY_ID}-${date}`;
    const jobs = t.app.get<JobScheduler>(JOB_SCHEDULER);
    const jobId = offerExpiryJobId(streamId, offered.requestId);
    expect(await jobs.status(OFFER_EXPIRY_JOB, jobId)).toBe('scheduled');
    // what a Redis that lost its last second of writes looks like: the workflow moved on, the job is gone
    expect(await jobs.cancel(OFFER_EXPIRY_JOB, jobId)).toBe(true);
    expect(await jobs.status(OFFER_EXPIRY_JOB, jobId)).not.toBe('scheduled');

    const open = await openOffers(t.app.get(ReadModels));
    expect(open).toContainEqual(expect.objectContaining({ streamId, requestId: offered.requestId, familyId: DUPONT }));
    expect(await t.app.get(OfferExpiryJob).reconcile()).toBe(open.length);
    expect(await jobs.status(OFFER_EXPIRY_JOB, jobId)).toBe('scheduled');
    // idempotent: a second pass keeps the one job
    await t.app.get(OfferExpiryJob).reconcile();
    expect(await jobs.status(OFFER_EXPIRY_JOB, jobId)).toBe('scheduled');
  });

  it('books a « semaine type » over a period with one answer per day', async () => {
    const res = await t.http
      .post(`/families/${DUPONT}/reservations/typical-week`)
      .set(bearer(t.tokens.dupont))
      .send({ from: days[1], to: days[3], lines: [{ childId: LUCIE, activityId: ACTIVITY_ID, weekdays: [3] }] })
      .expect(200);
    expect(res.body.results.map((r: { date: string; status: string }) => [r.date, r.status])).toEqual(
      days.slice(1, 4).map((d) => [d, 'requested']),
    );
    const twice = await t.http
      .post(`/families/${DUPONT}/reservations/bulk`)
      .set(bearer(t.tokens.dupont))
      .send({
        items: [
          { childId: LUCIE, activityId: ACTIVITY_ID, date: days[1] },
          { childId: LUCIE, activityId: ACTIVITY_ID, date: addDays(days[1], 1) },
        ],
      })
      .expect(200);
    expect(twice.body.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'ALREADY_BOOKED',
      'ACTIVITY_NOT_RUNNING',
    ]);
    await t.http
      .post(`/families/${DUPONT}/reservations/bulk`)
      .set(bearer(t.tokens.dupont))
      .send({ items: Array.from({ length: 1001 }, () => ({ childId: LUCIE, activityId: ACTIVITY_ID, date: days[1] })) })
      .expect(400);
    // Cancel in bulk, one answer per reservation: the last day of the week, and one that does not exist.
    const lastId = res.body.results[2].requestId as string;
    const cancelled = await t.http
      .post(`/families/${DUPONT}/reservations/cancel`)
      .set(bearer(t.tokens.dupont))
      .send({ requestIds: [lastId, 'no-such-request'] })
      .expect(200);
    expect(cancelled.body.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'cancelled',
      'RESERVATION_NOT_FOUND',
    ]);
    // booked again for the tests below
    await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(bearer(t.tokens.dupont))
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, date: days[3] })
      .expect(201);
  });

  it('declares an absence on a booked day, decided by the rules', async () => {
    const res = await t.http
      .post(`/families/${DUPONT}/absences`)
      .set(bearer(t.tokens.dupont))
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, from: days[1], to: days[1] })
      .expect(201);
    expect(res.body.days).toEqual([expect.objectContaining({ date: days[1], outcome: 'excused' })]);
    await t.http
      .post(`/families/${DUPONT}/absences`)
      .set(bearer(t.tokens.dupont))
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, from: days[2], to: days[1] })
      .expect(400);
  });

  it('a closure declared by staff releases the bookings of its days, tells the families and refuses new requests', async () => {
    const date = days[3];
    await waitFor(async () => (await dayList(date)).allocated.length === 1, { timeoutMs: 5000, intervalMs: 20 });
    await t.http
      .post('/facilities/test-centre/closures')
      .set(bearer(t.tokens.staff))
      .send({ scope: { activityId: ACTIVITY_ID }, from: date, to: date, reason: 'Journée pédagogique' })
      .expect(201);
    await waitFor(async () => (await dayList(date)).closed === true, { timeoutMs: 5000, intervalMs: 20 });
    expect((await dayList(date)).allocated).toEqual([]);
    await waitFor(
      async () => {
        const mails = (await t.http.get('/admin/outbox?to=jean.dupont@wanadoo.fr').set(bearer(t.tokens.admin)).expect(200)).body.items;
        return mails.some((m: { text: string }) => m.text.includes('Journée pédagogique'));
      },
      { timeoutMs: 5000, intervalMs: 50 },
    );
    await t.settle();
    const refused = await t.http
      .post(`/families/${OTHER}/reservations`)
      .set(bearer(t.tokens.staff))
      .send({ childId: otherChild, activityId: ACTIVITY_ID, date })
      .expect(422);
    expect(refused.body.code).toBe('CLOSED');
    // The family's day is free again: the ended request no longer blocks it (only the closure does).
    const again = await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(bearer(t.tokens.dupont))
      .send({ childId: LUCIE, activityId: ACTIVITY_ID, date })
      .expect(422);
    expect(again.body.code).toBe('CLOSED');
  });

  it('shows the month grid of a child and of the family, with each day’s state and what the parent may do until when', async () => {
    await t.settle();
    const month = days[2].slice(0, 7);
    const res = await t.http.get(`/families/${DUPONT}/children/${LUCIE}/planning?month=${month}`).set(bearer(t.tokens.dupont)).expect(200);
    expect(res.body).toMatchObject({
      month,
      previousMonth: expect.stringMatching(/^\d{4}-\d{2}$/),
      nextMonth: expect.stringMatching(/^\d{4}-\d{2}$/),
    });
    const row = res.body.rows.find((r: { activityId: string }) => r.activityId === ACTIVITY_ID);
    expect(row).toBeDefined();
    const cell = (date: string) => row.cells.find((c: { date: string }) => c.date === date);
    expect(cell(days[2])).toMatchObject({ code: 'Réservé', status: 'booked' });
    expect(cell(days[2]).actions.cancel).toEqual(expect.objectContaining({ until: expect.any(String) }));
    const saturday = row.cells.find((c: { date: string; runs: boolean }) => c.date > days[2] && !c.runs);
    expect(saturday.actions.book).toBeUndefined();
    const family = await t.http.get(`/families/${DUPONT}/planning?month=${month}`).set(bearer(t.tokens.dupont)).expect(200);
    expect(family.body.children.map((c: { childId: string }) => c.childId)).toContain(LUCIE);
    await t.http.get(`/families/${DUPONT}/children/${LUCIE}/planning?month=2027-13`).set(bearer(t.tokens.dupont)).expect(400);
    await t.http.get(`/families/${DUPONT}/children/${LUCIE}/planning`).set(bearer(t.tokens.martin)).expect(404);
    await t.http.get(`/families/${DUPONT}/children/nobody/planning`).set(bearer(t.tokens.dupont)).expect(404);
  });

  it('lets the commune adjust the school calendar: a day off reaches the rules and every grid', async () => {
    const day = days[2];
    const body = { adjustment: { type: 'add-holiday', holiday: { name: 'Pont communal', kind: 'petites', from: day, to: day } } };
    await t.http.post('/school-calendar/adjustments').set(bearer(t.tokens.staff)).send(body).expect(403); // scope SAINT-JEAN only
    const res = await t.http.post('/school-calendar/adjustments').set(bearer(t.tokens.admin)).send(body).expect(201);
    expect(res.body.calendar.holidays.some((h: { name: string }) => h.name === 'Pont communal')).toBe(true);
    const grid = await t.http
      .get(`/families/${DUPONT}/children/${LUCIE}/planning?month=${day.slice(0, 7)}`)
      .set(bearer(t.tokens.dupont))
      .expect(200);
    const cell = grid.body.rows
      .find((r: { activityId: string }) => r.activityId === ACTIVITY_ID)
      .cells.find((c: { date: string }) => c.date === day);
    // The day was booked before it became a day off: « Erreur » until the booking is cancelled.
    expect(cell.code).toBe('Erreur');
    const refused = await t.http
      .post(`/families/${OTHER}/reservations`)
      .set(bearer(t.tokens.staff))
      .send({ childId: otherChild, activityId: ACTIVITY_ID, date: day })
      .expect(422);
    expect(refused.body.code).toBe('ACTIVITY_NOT_RUNNING');
    const calendar = await t.http.get('/school-calendar').set(bearer(t.tokens.dupont)).expect(200);
    expect(calendar.body).toMatchObject({ zone: 'C', source: expect.any(String) });
  });

  it('books the days of a regular contract by default when a child is enrolled with one', async () => {
    await t.http
      .post('/facilities/test-centre/activities')
      .set(bearer(t.tokens.staff))
      .send({ activityId: 'test-contrat', ...config, name: 'Contrat test', placesPerDay: 50 })
      .expect(201);
    await t.settle();
    await t.http
      .post(`/families/${OTHER}/enrolments`)
      .set(bearer(t.tokens.staff))
      .send({ childId: otherChild, activityId: 'test-contrat', schoolYear: schoolYearOf(days[1]), regularDays: [3] })
      .expect(201);
    await t.settle();
    const month = days[1].slice(0, 7);
    const grid = await t.http
      .get(`/families/${OTHER}/children/${otherChild}/planning?month=${month}`)
      .set(bearer(t.tokens.staff))
      .expect(200);
    const row = grid.body.rows.find((r: { activityId: string }) => r.activityId === 'test-contrat');
    expect(row.regularDays).toEqual([3]);
    const cell = row.cells.find((c: { date: string }) => c.date === days[1]);
    expect(cell).toMatchObject({ code: 'Régulier', status: 'booked' });
  });

  it('holds a place for a request that staff validate, then books it, or refuses it with a reason the family reads', async () => {
    await t.http
      .post('/facilities/test-centre/activities')
      .set(bearer(t.tokens.staff))
      .send({ activityId: 'test-valide', ...config, name: 'Sortie à valider', placesPerDay: 5, validation: 'staff' })
      .expect(201);
    await t.settle();
    // days[2] became a commune holiday above; days[3] is closed for another activity only.
    const schoolYear = schoolYearOf(days[1]);
    await t.http
      .post(`/families/${DUPONT}/enrolments`)
      .set(bearer(t.tokens.staff))
      .send({ childId: LUCIE, activityId: 'test-valide', schoolYear })
      .expect(201);
    const a = await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(bearer(t.tokens.dupont))
      .send({ childId: LUCIE, activityId: 'test-valide', date: days[1] })
      .expect(201);
    const b = await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(bearer(t.tokens.dupont))
      .send({ childId: LUCIE, activityId: 'test-valide', date: days[3] })
      .expect(201);
    await t.settle();
    const list = async (date: string) =>
      (await t.http.get(`/activities/test-valide/days/${date}`).set(bearer(t.tokens.staff)).expect(200)).body;
    expect((await list(days[1])).awaitingStaff.map((r: { requestId: string }) => r.requestId)).toEqual([a.body.requestId]);
    await t.http
      .post(`/activities/test-valide/days/${days[1]}/requests/${a.body.requestId}/accept`)
      .set(bearer(t.tokens.otherStaff))
      .send({})
      .expect(404);
    await t.http
      .post(`/activities/test-valide/days/${days[1]}/requests/${a.body.requestId}/accept`)
      .set(bearer(t.tokens.staff))
      .send({})
      .expect(200);
    await t.http
      .post(`/activities/test-valide/days/${days[3]}/requests/${b.body.requestId}/refuse`)
      .set(bearer(t.tokens.staff))
      .send({})
      .expect(400);
    await t.http
      .post(`/activities/test-valide/days/${days[3]}/requests/${b.body.requestId}/refuse`)
      .set(bearer(t.tokens.staff))
      .send({ reason: 'Sortie complète pour cette classe' })
      .expect(200);
    await t.settle();
    expect((await list(days[1])).allocated.map((r: { requestId: string }) => r.requestId)).toEqual([a.body.requestId]);
    const grid = await t.http
      .get(`/families/${DUPONT}/children/${LUCIE}/planning?month=${days[3].slice(0, 7)}`)
      .set(bearer(t.tokens.dupont))
      .expect(200);
    const cell = grid.body.rows
      .find((r: { activityId: string }) => r.activityId === 'test-valide')
      .cells.find((c: { date: string }) => c.date === days[3]);
    expect(cell).toMatchObject({ code: 'Réserve refusée', detail: expect.stringContaining('Sortie complète') });
  });

  it('books the demo regular contract at start-up, even though the workflow may see the enrolment before the catalog is projected', async () => {
    await t.settle();
    const grid = await t.http
      .get(`/families/${DUPONT}/children/${LUCIE}/planning?month=${days[0].slice(0, 7)}`)
      .set(bearer(t.tokens.dupont))
      .expect(200);
    const row = grid.body.rows.find((r: { activityId: string }) => r.activityId === 'alsh-mercredi-pm');
    expect(row.regularDays).toEqual([3]);
    expect(row.cells.some((c: { code: string }) => c.code === 'Régulier')).toBe(true);
  });
});
