import { randomUUID } from 'node:crypto';

import { ALSH_MERCREDI_CONFIG, ALSH_MERCREDI_ID } from '../../src/modules/planning/catalog/catalog.examples';
import { legacyPlanningStream, planningStream } from '../../src/modules/planning/family-planning/family-planning.events';
import { EventSerializer } from '../../src/platform/events/event-serializer';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner';
import { bearer, startTestApp, TestApp } from '../support/test-app';

/**
 * A family whose planning began before the split by school year: its events are in `planning-<familyId>`.
 * The new code folds them (year by year) before the year streams, so the family keeps booking and
 * cancelling, the allocator decides its requests, and every read model is the same after a rebuild.
 */
describe('Planning recorded before the split by school year', () => {
  let t: TestApp;
  const FAMILY = '1001001818777';
  let child: string;
  // Wednesdays of 2026-2027 the demo's Wednesday centre runs on (the e2e clock is 2026-11-16)
  const [BOOKED, NEXT] = ['2026-12-09', '2026-12-16'];

  beforeAll(async () => {
    t = await startTestApp();
    const staff = bearer(t.tokens.staff);
    await t.http
      .post('/families')
      .set(staff)
      .send({
        familyNumber: FAMILY,
        commune: 'SAINT-JEAN',
        guardian: {
          civility: 'Mme',
          lastName: 'ANCIEN',
          firstName: 'PAUL',
          quality: 'Mère',
          situation: 'Célibataire',
          address: { line1: '1 RUE VIEILLE', postalCode: '31400', city: 'SAINT-JEAN' },
          phones: {},
          emailConsent: false,
          smsConsent: false,
          organismeRattachement: 'CAF',
        },
        children: [{ firstName: 'LEA', lastName: 'ANCIEN', birthDate: '2018-05-05', sex: 'F' }],
      })
      .expect(201);
    await t.settle();
    child = (await t.http.get(`/families/${FAMILY}`).set(staff).expect(200)).body.children[0].childId;

    // What the previous version wrote: an enrolment and a reservation on the family's only planning stream.
    const serializer = t.app.get(EventSerializer);
    const at = t.clock.now().toISOString();
    const meta = () => ({
      eventId: randomUUID(),
      correlationId: 'legacy',
      causationId: 'legacy',
      userId: 'agent.saint-jean',
      role: 'staff',
      familyId: FAMILY,
      recordedAt: at,
    });
    await t.events.appendToStream(
      legacyPlanningStream(FAMILY),
      [
        serializer.serialize(
          {
            type: 'ChildEnrolled',
            data: {
              childId: child,
              activityId: ALSH_MERCREDI_ID,
              schoolYear: '2026-2027',
              regularDays: [],
              enrolledAt: at,
              enrolledBy: 'agent.saint-jean',
            },
          },
          meta(),
        ),
        serializer.serialize(
          {
            type: 'ReservationRequested',
            data: {
              requestId: 'legacy-request-1',
              childId: child,
              activityId: ALSH_MERCREDI_ID,
              date: BOOKED,
              requestedAt: at,
              requestedBy: 'agent.saint-jean',
              validation: ALSH_MERCREDI_CONFIG.validation,
            },
          },
          meta(),
        ),
      ],
      'no_stream',
    );
    await t.settle();
  });
  afterAll(async () => {
    await t.close();
  });

  const grid = async () =>
    (await t.http.get(`/families/${FAMILY}/children/${child}/planning?month=2026-12`).set(bearer(t.tokens.staff)).expect(200)).body;
  const cell = (body: { rows: { activityId: string; cells: { date: string; status?: string }[] }[] }, date: string) =>
    body.rows.find((r) => r.activityId === ALSH_MERCREDI_ID)?.cells.find((c) => c.date === date)?.status;

  it("shows the old reservation, allocated by today's allocator, in the grid", async () => {
    expect(cell(await grid(), BOOKED)).toBe('booked');
  });

  it('books and cancels with the enrolment and the reservations of the old stream, writing only to the year stream', async () => {
    const staff = bearer(t.tokens.staff);
    await t.http
      .post(`/families/${FAMILY}/reservations`)
      .set(staff)
      .send({ childId: child, activityId: ALSH_MERCREDI_ID, date: BOOKED })
      .expect(409); // already booked, by the old stream
    const booked = await t.http
      .post(`/families/${FAMILY}/reservations`)
      .set(staff)
      .send({ childId: child, activityId: ALSH_MERCREDI_ID, date: NEXT })
      .expect(201); // enrolled, by the old stream
    await t.http.post(`/families/${FAMILY}/reservations/legacy-request-1/cancel`).set(staff).send({}).expect(200);
    await t.http.post(`/families/${FAMILY}/reservations/legacy-request-1/cancel`).set(staff).send({}).expect(409);
    await t.settle();
    expect(cell(await grid(), BOOKED)).not.toBe('booked');
    expect(cell(await grid(), NEXT)).toBe('booked');
    expect((await t.events.readStream(legacyPlanningStream(FAMILY))).map((e) => e.type)).toEqual(['ChildEnrolled', 'ReservationRequested']);
    const year = (await t.events.readStream(planningStream(FAMILY, '2026-2027'))).map((e) => e.type);
    expect(year).toEqual(['ReservationRequested', 'CancellationRequested']);
    expect(booked.body.requestId).toEqual(expect.any(String));
  });

  it('gives the same read models when every projection is rebuilt from the log', async () => {
    const before = await grid();
    const record = (await t.http.get(`/families/${FAMILY}`).set(bearer(t.tokens.staff)).expect(200)).body;
    const runner = t.app.get(ProjectionRunner);
    for (const name of runner.names()) await runner.rebuild(name);
    await t.settle();
    expect(await grid()).toEqual(before);
    expect((await t.http.get(`/families/${FAMILY}`).set(bearer(t.tokens.staff)).expect(200)).body).toEqual(record);
  });
});
