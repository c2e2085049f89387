import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { createApp } from '../../src/bootstrap';
import { DEMO_PASSWORD } from '../../src/demo/demo-data';
import { addDays, isoWeekday, parisDateOf } from '../../src/modules/planning/calendar/local-date';
import { officialSchoolCalendar } from '../../src/modules/planning/calendar/official-school-calendar';
import { runsOn, schoolYearOf } from '../../src/modules/planning/calendar/school-calendar';
import { ALSH_MERCREDI_CONFIG } from '../../src/modules/planning/catalog/catalog.examples';
import type { Activity } from '../../src/modules/planning/planning.types';
import { SettableClock } from '../../src/platform/clock/clock';
import { loadConfig } from '../../src/platform/config/config';
import type { EventStore } from '../../src/platform/event-store/event-store.port';
import { ProjectionRunner } from '../../src/platform/projections/projection-runner';
import { EVENT_STORE } from '../../src/platform/tokens';
import { WorkflowRunner } from '../../src/platform/workflows/workflow-runner';
import { E2E_NOW } from '../support/test-app';
import { bearer } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Two portal processes writing to one data folder (two application instances, each with its own
 * connections), requests spread over both: the places are never exceeded and the waiting list keeps the
 * order in which the requests were recorded. One owner per data folder: the first holds the folder's
 * owner lock and runs the projections and the place allocator; the second serves the API only
 * (RUN_PROJECTIONS=false) and its writes are allocated by the owner. A second owner is refused.
 */
describe('Two processes booking the same day', () => {
  let dir: string;
  let a: INestApplication;
  let b: INestApplication;
  // both processes read the same instant, as two processes on one machine read the same clock
  const clock = new SettableClock(E2E_NOW);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portail-two-'));
    a = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), { clock });
    await a.init();
    await a.getHttpAdapter().getInstance().ready();
    b = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', DEMO_DATA: 'false', RUN_PROJECTIONS: 'false' }), { clock });
    await b.init();
    await b.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second owner of the data folder, naming the owner', async () => {
    await expect(createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), { clock })).rejects.toMatchObject({
      name: 'StartupError',
      exitCode: 75,
      message: expect.stringContaining(`already owned by another portal process (pid ${process.pid}`),
    });
  });

  it('never allocates more than the places, in arrival order, whichever process takes each request', async () => {
    const httpA = request(a.getHttpServer());
    const httpB = request(b.getHttpServer());
    const login = async (http: typeof httpA, name: string) =>
      (await http.post('/auth/login').send({ login: name, password: DEMO_PASSWORD }).expect(200)).body.token as string;
    const staff = bearer(await login(httpA, 'agent.saint-jean'));
    const config = {
      ...ALSH_MERCREDI_CONFIG,
      placesPerDay: 3,
      bookingDeadline: { kind: 'days-before', days: 1, time: '12:00', skip: { weekends: false, publicHolidays: false, weekdays: [] } },
      cancellationDeadline: null,
      bookingWindows: [],
    } as const;
    await httpA.post('/facilities').set(staff).send({ facilityId: 'two-centre', name: 'Centre', commune: 'SAINT-JEAN' }).expect(201);
    await httpA
      .post('/facilities/two-centre/activities')
      .set(staff)
      .send({ activityId: 'two-act', ...config })
      .expect(201);
    const calendar = officialSchoolCalendar('C');
    let day = addDays(parisDateOf(clock.now().toISOString()), 7);
    while (
      isoWeekday(day) !== 3 ||
      !runsOn({ ...config, activityId: 'two-act', facilityId: 'two-centre' } as unknown as Activity, day, calendar).runs
    )
      day = addDays(day, 1);
    const children = Array.from({ length: 10 }, (_, i) => ({
      firstName: `ENFANT${i}`,
      lastName: 'MULTI',
      birthDate: `201${i % 10}-03-0${1 + (i % 9)}`,
      sex: 'F',
    }));
    await httpA
      .post('/families')
      .set(staff)
      .send({
        familyNumber: '1001001818600',
        commune: 'SAINT-JEAN',
        guardian: {
          civility: 'Mme',
          lastName: 'MULTI',
          firstName: 'ANNE',
          quality: 'Mère',
          situation: 'Marié(e)',
          address: { line1: '1 RUE', postalCode: '31400', city: 'SAINT-JEAN' },
          phones: {},
          emailConsent: false,
          smsConsent: false,
          organismeRattachement: '0',
        },
        children,
      })
      .expect(201);
    const settle = async () => {
      const events = a.get<EventStore>(EVENT_STORE);
      for (let head = -1; head !== (await events.headPosition());) {
        head = await events.headPosition();
        // the owner's allocator and projections
        await a.get(WorkflowRunner).waitForPosition(head);
        await a.get(ProjectionRunner).waitForPosition(head);
      }
    };
    await settle();
    const record = await httpB.get('/families/1001001818600').set(staff).expect(200);
    const childIds: string[] = record.body.children.map((c: { childId: string }) => c.childId);
    for (const childId of childIds) {
      await httpA
        .post('/families/1001001818600/enrolments')
        .set(staff)
        .send({ childId, activityId: 'two-act', schoolYear: schoolYearOf(day) })
        .expect(201);
    }
    await settle();

    const answers = await Promise.all(
      childIds.map((childId, i) =>
        (i % 2 === 0 ? httpA : httpB)
          .post('/families/1001001818600/reservations')
          .set(staff)
          .send({ childId, activityId: 'two-act', date: day }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(childIds.map(() => 201));
    await settle();
    await waitFor(async () => (await httpB.get(`/activities/two-act/days/${day}`).set(staff)).body.waiting?.length === 7, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    const list = (await httpA.get(`/activities/two-act/days/${day}`).set(staff).expect(200)).body;
    expect(list).toMatchObject({ places: 3, taken: 3 });
    const order = [...list.allocated, ...list.waiting].map((r: { position: number }) => r.position);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(list.waiting.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
