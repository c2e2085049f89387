import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../platform/domain/command-target';
import { decisionOf, fold } from '../../../platform/domain/decider';
import { officialSchoolCalendar } from '../calendar/official-school-calendar';
import { publicHolidaysOf } from '../calendar/public-holidays';
import { ALSH_MERCREDI, ALSH_MERCREDI_ID, RESTAURATION_ID, RESTAURATION_SCOLAIRE } from '../catalog/catalog.examples';
import { type Closure, DEFAULT_ABSENCE_POLICY, type LocalDate } from '../planning.types';
import {
  type BookingFacts,
  type CancelReservation,
  decideBulk,
  type DeclareAbsence,
  type EnrolChild,
  type FamilyPlanningCommand,
  type FamilyPlanningCommandMeta,
  familyPlanningDecider,
  type FamilyPlanningState,
  isEnrolled,
  MAX_BULK_ITEMS,
  RECENT_KEPT,
  type RequestReservation,
  type RequestReservations,
  type ReservationItem,
} from './family-planning.decider';
import type { AbsenceDeclared, ChildEnrolled, FamilyPlanningEvent, ReservationRequested } from './family-planning.events';
import { familyPlanningEvents, planningStream } from './family-planning.events';
import { expandTypicalWeek } from './typical-week';

const spec = DeciderSpecification.for(familyPlanningDecider);

const FAMILY_ID = 'fam-1001001818331';
const LUCAS = 'child-lucas';
const EMMA = 'child-emma';
const parent: Actor = { userId: 'user-jean-dupont', role: 'parent' };
const staff: Actor = { userId: 'agent-enfance-01', role: 'staff' };

/** Tuesday 1 September 2026, 10:00 in Paris: the rentrée. */
const RENTREE = '2026-09-01T08:00:00.000Z';

const calendar = officialSchoolCalendar('C');
const publicHolidays: LocalDate[] = [...publicHolidaysOf(2026).keys(), ...publicHolidaysOf(2027).keys()];
const journeePedagogique: Closure = {
  closureId: 'fermeture-pedagogique',
  scope: { activityId: ALSH_MERCREDI_ID },
  from: '2026-09-30',
  to: '2026-09-30',
  reason: 'Journée pédagogique',
};
const facts: BookingFacts = { calendar, closures: [journeePedagogique], publicHolidays, familyCategory: 'resident' };

const meta = (at: string = RENTREE, actor: Actor = parent): FamilyPlanningCommandMeta => ({ familyId: FAMILY_ID, at, actor });

function enrolled(childId: string, activityId: string, regularDays: ChildEnrolled['data']['regularDays'] = []): ChildEnrolled {
  return {
    type: 'ChildEnrolled',
    data: { childId, activityId, schoolYear: '2026-2027', regularDays, enrolledAt: '2026-06-20T08:00:00.000Z', enrolledBy: staff.userId },
  };
}

function requested(requestId: string, childId: string, activityId: string, date: LocalDate, at: string = RENTREE): ReservationRequested {
  return {
    type: 'ReservationRequested',
    data: { requestId, childId, activityId, date, requestedAt: at, requestedBy: parent.userId, validation: 'automatic' },
  };
}

/** Lucas: ALSH on Wednesdays and the canteen; Emma: the canteen only. */
const enrolments: FamilyPlanningEvent[] = [
  enrolled(LUCAS, ALSH_MERCREDI_ID, [3]),
  enrolled(LUCAS, RESTAURATION_ID, [1, 2, 4, 5]),
  enrolled(EMMA, RESTAURATION_ID, [1, 2, 4, 5]),
];

function reserveAlsh(date: LocalDate, at: string, overrides: Partial<RequestReservation> = {}): RequestReservation {
  return {
    ...meta(at),
    ...facts,
    type: 'RequestReservation',
    requestId: `req-${date}`,
    childId: LUCAS,
    activityId: ALSH_MERCREDI_ID,
    date,
    activity: ALSH_MERCREDI,
    ...overrides,
  };
}

function reserveCanteen(date: LocalDate, at: string, overrides: Partial<RequestReservation> = {}): RequestReservation {
  return reserveAlsh(date, at, {
    requestId: `req-cantine-${date}`,
    activityId: RESTAURATION_ID,
    activity: RESTAURATION_SCOLAIRE,
    ...overrides,
  });
}

describe('the family planning stream', () => {
  it('is one stream per family and school year, with enrolment events free of personal data', () => {
    expect(planningStream(FAMILY_ID, '2026-2027')).toBe('planning-fam-1001001818331-2026-2027');
    expect(
      familyPlanningEvents.definitions.filter((d) => ['ChildEnrolled', 'EnrolmentEnded', 'ReservationEnded'].includes(d.type)),
    ).toEqual([
      { type: 'ChildEnrolled', version: 1, personalData: [] },
      { type: 'EnrolmentEnded', version: 1, personalData: [] },
      { type: 'ReservationEnded', version: 1, personalData: [] },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Enrolments
// ---------------------------------------------------------------------------------------------------

describe('EnrolChild', () => {
  const enrol = (overrides: Partial<EnrolChild> = {}): EnrolChild => ({
    ...meta('2026-06-20T08:00:00.000Z', staff),
    type: 'EnrolChild',
    childId: LUCAS,
    activityId: RESTAURATION_ID,
    schoolYear: '2026-2027',
    regularDays: [5, 1, 4, 2],
    activity: RESTAURATION_SCOLAIRE,
    familyChildIds: [LUCAS, EMMA],
    ...overrides,
  });

  it("refuses a child who is not on the family's record (404 CHILD_NOT_FOUND): nobody enrols another family's child", () => {
    spec
      .given([])
      .when(enrol({ childId: 'enfant-lucie-dupont' }))
      .thenThrows('CHILD_NOT_FOUND', 'not_found');
    spec
      .given([])
      .when(enrol({ familyChildIds: [] }))
      .thenThrows('CHILD_NOT_FOUND', 'not_found');
  });

  it('enrols Lucas in the canteen with a regular contract Mon, Tue, Thu, Fri (sorted)', () => {
    const state = spec
      .given([])
      .when(enrol())
      .then([enrolled(LUCAS, RESTAURATION_ID, [1, 2, 4, 5])]);
    expect(isEnrolled(state, LUCAS, RESTAURATION_ID, '2026-2027')).toBe(true);
    expect(isEnrolled(state, LUCAS, RESTAURATION_ID, '2027-2028')).toBe(false);
  });

  it('enrols for occasional attendance (no regular day)', () => {
    spec
      .given([])
      .when(enrol({ activityId: ALSH_MERCREDI_ID, activity: ALSH_MERCREDI, regularDays: [] }))
      .then([enrolled(LUCAS, ALSH_MERCREDI_ID, [])]);
  });

  it('refuses the same child, activity and year twice (409 ALREADY_ENROLLED)', () => {
    const error = spec.given(enrolments).when(enrol()).thenThrows('ALREADY_ENROLLED', 'conflict');
    expect(error.message).toBe("L'enfant est déjà inscrit à l'activité « Restauration scolaire » pour l'année scolaire 2026-2027.");
  });

  it('enrols again once the enrolment ended, and for another year', () => {
    const ended: FamilyPlanningEvent = {
      type: 'EnrolmentEnded',
      data: { childId: LUCAS, activityId: RESTAURATION_ID, schoolYear: '2026-2027', endedAt: RENTREE, endedBy: staff.userId },
    };
    spec
      .given([...enrolments, ended])
      .when(enrol())
      .then([enrolled(LUCAS, RESTAURATION_ID, [1, 2, 4, 5])]);
    spec
      .given(enrolments)
      .when(enrol({ schoolYear: '2027-2028' }))
      .then([
        {
          ...enrolled(LUCAS, RESTAURATION_ID, [1, 2, 4, 5]),
          data: { ...enrolled(LUCAS, RESTAURATION_ID, [1, 2, 4, 5]).data, schoolYear: '2027-2028' },
        },
      ]);
  });

  it('refuses a regular Wednesday at the canteen, which is closed on Wednesdays (422 INVALID_REGULAR_DAYS)', () => {
    const error = spec
      .given([])
      .when(enrol({ regularDays: [1, 3] }))
      .thenThrows('INVALID_REGULAR_DAYS', 'invalid');
    expect(error.message).toBe(
      "L'activité « Restauration scolaire » n'a pas lieu le mercredi : ce jour ne peut pas faire partie du contrat régulier.",
    );
  });

  it.each([
    ['a Monday at the Wednesday leisure centre', { activityId: ALSH_MERCREDI_ID, activity: ALSH_MERCREDI, regularDays: [1] as const }],
    ['a Saturday', { regularDays: [6] as const }],
    ['a day given twice', { regularDays: [1, 1] as const }],
  ])('refuses %s (422 INVALID_REGULAR_DAYS)', (_label, overrides) => {
    spec
      .given([])
      .when(enrol({ ...overrides, regularDays: [...overrides.regularDays] }))
      .thenThrows('INVALID_REGULAR_DAYS', 'invalid');
  });

  it.each(['2026-2028', '2026', '26-27'])('refuses the school year %s (422 INVALID_SCHOOL_YEAR)', (schoolYear) => {
    spec.given([]).when(enrol({ schoolYear })).thenThrows('INVALID_SCHOOL_YEAR', 'invalid');
  });

  it('refuses a configuration that is not the activity enrolled in (422 ACTIVITY_MISMATCH)', () => {
    spec
      .given([])
      .when(enrol({ activity: ALSH_MERCREDI }))
      .thenThrows('ACTIVITY_MISMATCH', 'invalid');
  });

  it.each(['parent', 'auditor'] as const)('is for staff only: a %s gets 403 FORBIDDEN_ROLE', (role) => {
    spec
      .given([])
      .when(enrol({ actor: { userId: 'u-1', role } }))
      .thenThrows('FORBIDDEN_ROLE', 'forbidden');
  });
});

describe('EndEnrolment', () => {
  it('ends an enrolment: the child can no longer be booked', () => {
    const state = spec
      .given(enrolments)
      .when({ ...meta(RENTREE, staff), type: 'EndEnrolment', childId: EMMA, activityId: RESTAURATION_ID, schoolYear: '2026-2027' })
      .then([
        {
          type: 'EnrolmentEnded',
          data: { childId: EMMA, activityId: RESTAURATION_ID, schoolYear: '2026-2027', endedAt: RENTREE, endedBy: staff.userId },
        },
      ]);
    expect(isEnrolled(state, EMMA, RESTAURATION_ID, '2026-2027')).toBe(false);
    spec
      .given([
        ...enrolments,
        {
          type: 'EnrolmentEnded',
          data: { childId: EMMA, activityId: RESTAURATION_ID, schoolYear: '2026-2027', endedAt: RENTREE, endedBy: staff.userId },
        },
      ])
      .when(reserveCanteen('2026-09-10', RENTREE, { childId: EMMA }))
      .thenThrows('NOT_ENROLLED', 'invalid');
  });

  it('refuses an enrolment that does not exist (404 ENROLMENT_NOT_FOUND)', () => {
    spec
      .given(enrolments)
      .when({ ...meta(RENTREE, staff), type: 'EndEnrolment', childId: EMMA, activityId: ALSH_MERCREDI_ID, schoolYear: '2026-2027' })
      .thenThrows('ENROLMENT_NOT_FOUND', 'not_found');
  });

  it('is for staff only (403 FORBIDDEN_ROLE)', () => {
    spec
      .given(enrolments)
      .when({ ...meta(RENTREE, parent), type: 'EndEnrolment', childId: EMMA, activityId: RESTAURATION_ID, schoolYear: '2026-2027' })
      .thenThrows('FORBIDDEN_ROLE', 'forbidden');
  });
});

// ---------------------------------------------------------------------------------------------------
// One reservation
// ---------------------------------------------------------------------------------------------------

describe('RequestReservation — « ALSH Mercredi après-midi », by « le jeudi 12:00 de la semaine précédente »', () => {
  it('books Wednesday 16 September until Thursday 10 September 12:00 (the deadline itself is in time)', () => {
    const at = '2026-09-10T10:00:00.000Z'; // jeudi 10 septembre 2026 à 12:00, Paris
    const state = spec
      .given(enrolments)
      .when(reserveAlsh('2026-09-16', at))
      .then([requested('req-2026-09-16', LUCAS, ALSH_MERCREDI_ID, '2026-09-16', at)]);
    expect(state.reservations['req-2026-09-16']).toEqual({
      childId: LUCAS,
      activityId: ALSH_MERCREDI_ID,
      date: '2026-09-16',
      status: 'requested',
    });
  });

  it('copies the validation mode of the activity', () => {
    const event = decisionOf(
      familyPlanningDecider.decide(
        reserveAlsh('2026-09-16', RENTREE, { activity: { ...ALSH_MERCREDI, validation: 'staff' } }),
        fold(familyPlanningDecider, enrolments),
      ),
    ).events[0] as ReservationRequested;
    expect(event.data.validation).toBe('staff');
  });

  it('lets an agent book for the family', () => {
    spec
      .given(enrolments)
      .when(reserveAlsh('2026-09-16', RENTREE, { actor: staff }))
      .then([
        {
          ...requested('req-2026-09-16', LUCAS, ALSH_MERCREDI_ID, '2026-09-16'),
          data: { ...requested('req-2026-09-16', LUCAS, ALSH_MERCREDI_ID, '2026-09-16').data, requestedBy: staff.userId },
        },
      ]);
  });

  it('refuses after Thursday 12:00 (422 DEADLINE_PASSED, with the rule in French)', () => {
    const error = spec
      .given(enrolments)
      .when(reserveAlsh('2026-09-16', '2026-09-10T10:00:01.000Z'))
      .thenThrows('DEADLINE_PASSED', 'invalid');
    expect(error.message).toBe(
      "Les réservations pour le mercredi 16 septembre 2026 étaient possibles jusqu'au jeudi 10 septembre 2026 à 12:00. (Délai de réservation de l'activité « ALSH Mercredi après-midi » : le jeudi de la semaine précédente à 12:00.)",
    );
    expect(error.details).toEqual({ deadline: '2026-09-10T10:00:00.000Z', rule: ALSH_MERCREDI.bookingDeadline });
  });

  it('refuses before the residents’ window opens on 21 August 07:00 (422 BOOKING_WINDOW_NOT_OPEN)', () => {
    const error = spec
      .given(enrolments)
      .when(reserveAlsh('2026-09-16', '2026-08-20T10:00:00.000Z'))
      .thenThrows('BOOKING_WINDOW_NOT_OPEN', 'invalid');
    expect(error.message).toBe(
      "Les réservations de l'activité « ALSH Mercredi après-midi » pour le mercredi 16 septembre 2026 ne sont pas encore ouvertes (Mercredis 2026-2027, familles résidentes) : elles ouvrent le vendredi 21 août 2026 à 07:00.",
    );
  });

  it('opens a week later to non-residents (28 August 07:00)', () => {
    spec
      .given(enrolments)
      .when(reserveAlsh('2026-09-16', '2026-08-25T10:00:00.000Z', { familyCategory: 'non-resident' }))
      .thenThrows('BOOKING_WINDOW_NOT_OPEN');
    spec
      .given(enrolments)
      .when(reserveAlsh('2026-09-16', '2026-08-28T05:00:00.000Z', { familyCategory: 'non-resident' }))
      .then([requested('req-2026-09-16', LUCAS, ALSH_MERCREDI_ID, '2026-09-16', '2026-08-28T05:00:00.000Z')]);
  });

  it('refuses a Wednesday of the Toussaint holidays (422 ACTIVITY_NOT_RUNNING)', () => {
    const error = spec.given(enrolments).when(reserveAlsh('2026-10-21', RENTREE)).thenThrows('ACTIVITY_NOT_RUNNING', 'invalid');
    expect(error.message).toBe(
      "Le mercredi 21 octobre 2026 est pendant les Vacances de la Toussaint : l'activité « ALSH Mercredi après-midi » ne fonctionne pas pendant les petites vacances.",
    );
  });

  it('refuses a closed day with the closure’s reason (422 CLOSED)', () => {
    const error = spec.given(enrolments).when(reserveAlsh('2026-09-30', RENTREE)).thenThrows('CLOSED', 'invalid');
    expect(error.message).toContain('(Journée pédagogique)');
  });

  it('refuses a child not enrolled in the activity (422 NOT_ENROLLED)', () => {
    const error = spec
      .given(enrolments)
      .when(reserveAlsh('2026-09-16', RENTREE, { childId: EMMA }))
      .thenThrows('NOT_ENROLLED', 'invalid');
    expect(error.message).toBe(
      "Votre enfant n'est pas inscrit à l'activité « ALSH Mercredi après-midi » pour l'année scolaire 2026-2027 : la réservation du mercredi 16 septembre 2026 n'est pas possible. Faites d'abord une demande d'inscription.",
    );
  });

  it('refuses a day outside the school years of the calendar (422 OUTSIDE_SCHOOL_YEAR)', () => {
    const enrolled2028: ChildEnrolled = {
      ...enrolled(LUCAS, ALSH_MERCREDI_ID),
      data: { ...enrolled(LUCAS, ALSH_MERCREDI_ID).data, schoolYear: '2028-2029' },
    };
    spec
      .given([enrolled2028])
      .when(reserveAlsh('2028-09-13', '2028-09-01T08:00:00.000Z', { activity: { ...ALSH_MERCREDI, bookingWindows: [] } }))
      .thenThrows('OUTSIDE_SCHOOL_YEAR', 'invalid');
  });

  it('refuses a day already booked for the child (409 ALREADY_BOOKED)', () => {
    const error = spec
      .given([...enrolments, requested('req-1', LUCAS, ALSH_MERCREDI_ID, '2026-09-16')])
      .when(reserveAlsh('2026-09-16', RENTREE, { requestId: 'req-2' }))
      .thenThrows('ALREADY_BOOKED', 'conflict');
    expect(error.message).toBe(
      "Le mercredi 16 septembre 2026 est déjà réservé pour votre enfant à l'activité « ALSH Mercredi après-midi ».",
    );
    expect(error.details).toEqual({ requestId: 'req-1' });
  });

  it('books a day again once its reservation was cancelled', () => {
    spec
      .given([
        ...enrolments,
        requested('req-1', LUCAS, ALSH_MERCREDI_ID, '2026-09-16'),
        {
          type: 'CancellationRequested',
          data: {
            requestId: 'req-1',
            childId: LUCAS,
            activityId: ALSH_MERCREDI_ID,
            date: '2026-09-16',
            cancelledAt: RENTREE,
            by: parent.userId,
          },
        },
      ])
      .when(reserveAlsh('2026-09-16', RENTREE, { requestId: 'req-2' }))
      .then([requested('req-2', LUCAS, ALSH_MERCREDI_ID, '2026-09-16')]);
  });

  it('refuses a requestId already used (409 REQUEST_ALREADY_EXISTS)', () => {
    spec
      .given([...enrolments, requested('req-1', LUCAS, ALSH_MERCREDI_ID, '2026-09-16')])
      .when(reserveAlsh('2026-09-23', RENTREE, { requestId: 'req-1' }))
      .thenThrows('REQUEST_ALREADY_EXISTS', 'conflict');
  });

  it('refuses a date that does not exist (422 INVALID_DATE) and a mismatched configuration (422 ACTIVITY_MISMATCH)', () => {
    spec.given(enrolments).when(reserveAlsh('2026-02-30', RENTREE)).thenThrows('INVALID_DATE', 'invalid');
    spec
      .given(enrolments)
      .when(reserveAlsh('2026-09-16', RENTREE, { activity: RESTAURATION_SCOLAIRE }))
      .thenThrows('ACTIVITY_MISMATCH', 'invalid');
  });

  it.each(['auditor', 'anonymous'] as const)('refuses a %s (403 FORBIDDEN_ROLE)', (role) => {
    spec
      .given(enrolments)
      .when(reserveAlsh('2026-09-16', RENTREE, { actor: { userId: 'u-1', role } }))
      .thenThrows('FORBIDDEN_ROLE', 'forbidden');
  });
});

describe('RequestReservation — « Restauration scolaire », by « le mardi 23:59 pour la semaine suivante »', () => {
  it('books Thursday 24 September until Tuesday 15 September 23:59', () => {
    const at = '2026-09-15T21:59:00.000Z'; // mardi 15 septembre 2026 à 23:59, Paris
    spec
      .given(enrolments)
      .when(reserveCanteen('2026-09-24', at))
      .then([requested('req-cantine-2026-09-24', LUCAS, RESTAURATION_ID, '2026-09-24', at)]);
  });

  it('refuses from Wednesday 16 September 00:00 (422 DEADLINE_PASSED)', () => {
    const error = spec
      .given(enrolments)
      .when(reserveCanteen('2026-09-24', '2026-09-15T22:00:00.000Z'))
      .thenThrows('DEADLINE_PASSED', 'invalid');
    expect(error.message).toBe(
      "Les réservations pour le jeudi 24 septembre 2026 étaient possibles jusqu'au mardi 15 septembre 2026 à 23:59. (Délai de réservation de l'activité « Restauration scolaire » : le mardi de la semaine précédente à 23:59.)",
    );
  });

  it('refuses a Wednesday and the Ascension Thursday (422 ACTIVITY_NOT_RUNNING)', () => {
    spec.given(enrolments).when(reserveCanteen('2026-09-23', RENTREE)).thenThrows('ACTIVITY_NOT_RUNNING');
    const error = spec.given(enrolments).when(reserveCanteen('2027-05-06', RENTREE)).thenThrows('ACTIVITY_NOT_RUNNING');
    expect(error.message).toBe("Le jeudi 6 mai 2027 est un jour férié (Ascension) : l'activité « Restauration scolaire » n'a pas lieu.");
  });

  it('takes the public holidays from the command: a list without Ascension lets the day through', () => {
    spec
      .given(enrolments)
      .when(reserveCanteen('2027-05-06', RENTREE, { publicHolidays: [] }))
      .then([requested('req-cantine-2027-05-06', LUCAS, RESTAURATION_ID, '2027-05-06')]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Bulk: a "semaine type"
// ---------------------------------------------------------------------------------------------------

describe('RequestReservations (bulk)', () => {
  const bulk = (items: ReservationItem[], at: string = RENTREE): RequestReservations => ({
    ...meta(at),
    ...facts,
    type: 'RequestReservations',
    items,
    activities: { [ALSH_MERCREDI_ID]: ALSH_MERCREDI, [RESTAURATION_ID]: RESTAURATION_SCOLAIRE },
  });
  const item = (requestId: string, childId: string, activityId: string, date: LocalDate): ReservationItem => ({
    requestId,
    childId,
    activityId,
    date,
  });

  it('decides each day in order, books the good ones and says why the others are refused', () => {
    const items = [
      item('r1', LUCAS, ALSH_MERCREDI_ID, '2026-09-02'), // deadline was Thursday 27 August 12:00
      item('r2', LUCAS, ALSH_MERCREDI_ID, '2026-09-09'),
      item('r3', LUCAS, ALSH_MERCREDI_ID, '2026-09-30'), // journée pédagogique
      item('r4', LUCAS, RESTAURATION_ID, '2026-09-10'),
      item('r5', EMMA, RESTAURATION_ID, '2026-09-10'),
      item('r6', EMMA, ALSH_MERCREDI_ID, '2026-09-09'), // Emma is not enrolled at the ALSH
      item('r7', LUCAS, ALSH_MERCREDI_ID, '2026-09-09'), // twice in the same bulk
      item('r8', LUCAS, 'garderie-matin', '2026-09-10'), // not in the catalogue given
    ];
    const { events, results } = decideBulk(bulk(items), fold(familyPlanningDecider, enrolments));
    expect(events).toEqual([
      requested('r2', LUCAS, ALSH_MERCREDI_ID, '2026-09-09'),
      requested('r4', LUCAS, RESTAURATION_ID, '2026-09-10'),
      requested('r5', EMMA, RESTAURATION_ID, '2026-09-10'),
    ]);
    expect(results.map((r) => [r.requestId, r.status, r.status === 'refused' ? r.code : null])).toEqual([
      ['r1', 'refused', 'DEADLINE_PASSED'],
      ['r2', 'requested', null],
      ['r3', 'refused', 'CLOSED'],
      ['r4', 'requested', null],
      ['r5', 'requested', null],
      ['r6', 'refused', 'NOT_ENROLLED'],
      ['r7', 'refused', 'ALREADY_BOOKED'],
      ['r8', 'refused', 'ACTIVITY_NOT_FOUND'],
    ]);
    expect(results[0]).toMatchObject({
      childId: LUCAS,
      activityId: ALSH_MERCREDI_ID,
      date: '2026-09-02',
      status: 'refused',
      message: expect.stringContaining("jusqu'au jeudi 27 août 2026 à 12:00") as unknown,
    });
  });

  it('is, as a decider, the events of decideBulk, with its per-day results as the answer', () => {
    const items = [item('r2', LUCAS, ALSH_MERCREDI_ID, '2026-09-09'), item('r7', LUCAS, ALSH_MERCREDI_ID, '2026-09-09')];
    const state = spec
      .given(enrolments)
      .when(bulk(items))
      .thenAnswers(
        [requested('r2', LUCAS, ALSH_MERCREDI_ID, '2026-09-09')],
        [
          { ...items[0], status: 'requested' },
          { ...items[1], status: 'refused', code: 'ALREADY_BOOKED', message: expect.any(String), details: { requestId: 'r2' } },
        ],
      );
    expect(state.booked).toEqual({ [`${LUCAS}|${ALSH_MERCREDI_ID}|2026-09-09`]: 'r2' });
  });

  it('records nothing when every day is refused (the results tell why)', () => {
    spec
      .given(enrolments)
      .when(bulk([item('r1', LUCAS, ALSH_MERCREDI_ID, '2026-09-02')]))
      .then([]);
  });

  it('refuses an empty request (422 NO_DAYS)', () => {
    spec.given(enrolments).when(bulk([])).thenThrows('NO_DAYS', 'invalid');
  });

  it(`accepts ${MAX_BULK_ITEMS} days and refuses ${MAX_BULK_ITEMS + 1} (422 TOO_MANY_DAYS)`, () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => item(`r${i}`, LUCAS, ALSH_MERCREDI_ID, '2026-10-21'));
    expect(decideBulk(bulk(many(MAX_BULK_ITEMS)), fold(familyPlanningDecider, enrolments)).results).toHaveLength(MAX_BULK_ITEMS);
    const error = spec
      .given(enrolments)
      .when(bulk(many(MAX_BULK_ITEMS + 1)))
      .thenThrows('TOO_MANY_DAYS', 'invalid');
    expect(error.message).toBe(
      "Une demande peut porter sur 1000 journées au plus (1001 demandées) : réduisez la période ou le nombre d'enfants.",
    );
  });

  it('refuses an auditor (403 FORBIDDEN_ROLE)', () => {
    spec
      .given(enrolments)
      .when({ ...bulk([item('r2', LUCAS, ALSH_MERCREDI_ID, '2026-09-09')]), actor: { userId: 'a', role: 'auditor' } })
      .thenThrows('FORBIDDEN_ROLE', 'forbidden');
  });

  it('expands a "semaine type" into the days the activities run (Toussaint left out)', () => {
    const items = expandTypicalWeek(
      {
        from: '2026-10-12',
        to: '2026-10-25',
        lines: [
          { childId: LUCAS, activityId: ALSH_MERCREDI_ID, weekdays: [3] },
          { childId: EMMA, activityId: RESTAURATION_ID, weekdays: [1, 2, 4, 5] },
        ],
      },
      { ...facts, activities: { [ALSH_MERCREDI_ID]: ALSH_MERCREDI, [RESTAURATION_ID]: RESTAURATION_SCOLAIRE } },
      (childId, activityId, date) => `${childId}:${activityId}:${date}`,
    );
    expect(items.map((i) => `${i.childId} ${i.activityId} ${i.date}`)).toEqual([
      `${EMMA} ${RESTAURATION_ID} 2026-10-12`,
      `${EMMA} ${RESTAURATION_ID} 2026-10-13`,
      `${LUCAS} ${ALSH_MERCREDI_ID} 2026-10-14`,
      `${EMMA} ${RESTAURATION_ID} 2026-10-15`,
      `${EMMA} ${RESTAURATION_ID} 2026-10-16`,
    ]);
    expect(items[0].requestId).toBe(`${EMMA}:${RESTAURATION_ID}:2026-10-12`);
    const { results } = decideBulk(bulk(items), fold(familyPlanningDecider, enrolments));
    expect(results.every((r) => r.status === 'requested')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------
// Cancellations
// ---------------------------------------------------------------------------------------------------

describe('the decision state stays bounded', () => {
  it('keeps the live reservations and the 200 most recent that ended; an older one leaves the state (not the log)', () => {
    const history: FamilyPlanningEvent[] = [...enrolments];
    for (let i = 0; i < 250; i++) {
      history.push(requested(`r-${i}`, LUCAS, ALSH_MERCREDI_ID, '2026-09-16'));
      history.push({
        type: 'CancellationRequested',
        data: {
          requestId: `r-${i}`,
          childId: LUCAS,
          activityId: ALSH_MERCREDI_ID,
          date: '2026-09-16',
          cancelledAt: RENTREE,
          by: parent.userId,
        },
      });
    }
    history.push(requested('live', LUCAS, ALSH_MERCREDI_ID, '2026-09-16'));
    const state = fold(familyPlanningDecider, history);
    expect(Object.keys(state.reservations)).toEqual(['live']);
    expect(Object.keys(state.ended)).toHaveLength(RECENT_KEPT);
    expect(state.ended['r-249']).toMatchObject({ status: 'cancelled' });
    expect(state.ended['r-0']).toBeUndefined();
    expect(state.booked).toEqual({ [`${LUCAS}|${ALSH_MERCREDI_ID}|2026-09-16`]: 'live' });
  });
});

describe('CancelReservation', () => {
  const booked = [...enrolments, requested('req-1', LUCAS, ALSH_MERCREDI_ID, '2026-09-16')];
  const cancel = (at: string, overrides: Partial<CancelReservation> = {}): CancelReservation => ({
    ...meta(at),
    type: 'CancelReservation',
    requestId: 'req-1',
    activity: ALSH_MERCREDI,
    publicHolidays,
    ...overrides,
  });

  it('cancels Wednesday 16 September until Thursday 10 September 12:00', () => {
    const at = '2026-09-10T09:30:00.000Z';
    const state = spec
      .given(booked)
      .when(cancel(at))
      .then([
        {
          type: 'CancellationRequested',
          data: {
            requestId: 'req-1',
            childId: LUCAS,
            activityId: ALSH_MERCREDI_ID,
            date: '2026-09-16',
            cancelledAt: at,
            by: parent.userId,
          },
        },
      ]);
    // the reservation leaves the live ones; what the rules still need of it is kept
    expect(state.reservations['req-1']).toBeUndefined();
    expect(state.ended['req-1']).toEqual({ childId: LUCAS, activityId: ALSH_MERCREDI_ID, date: '2026-09-16', status: 'cancelled' });
    expect(state.booked).toEqual({});
  });

  it('refuses after the deadline and points to the absence (422 CANCELLATION_DEADLINE_PASSED)', () => {
    const error = spec.given(booked).when(cancel('2026-09-11T10:00:00.000Z')).thenThrows('CANCELLATION_DEADLINE_PASSED', 'invalid');
    expect(error.message).toBe(
      "Les annulations pour le mercredi 16 septembre 2026 étaient possibles jusqu'au jeudi 10 septembre 2026 à 12:00. (Délai d'annulation de l'activité « ALSH Mercredi après-midi » : le jeudi de la semaine précédente à 12:00.) Vous pouvez signaler une absence.",
    );
  });

  it('without a cancellation deadline, cancels until the day begins', () => {
    const activity = { ...ALSH_MERCREDI, cancellationDeadline: null };
    spec
      .given(booked)
      .when(cancel('2026-09-15T21:59:00.000Z', { activity }))
      .then([
        {
          type: 'CancellationRequested',
          data: {
            requestId: 'req-1',
            childId: LUCAS,
            activityId: ALSH_MERCREDI_ID,
            date: '2026-09-16',
            cancelledAt: '2026-09-15T21:59:00.000Z',
            by: parent.userId,
          },
        },
      ]);
    spec.given(booked).when(cancel('2026-09-15T22:00:01.000Z', { activity })).thenThrows('CANCELLATION_DEADLINE_PASSED');
  });

  it('refuses an unknown reservation and one already cancelled (409 NOT_BOOKED)', () => {
    spec
      .given(booked)
      .when(cancel(RENTREE, { requestId: 'req-404' }))
      .thenThrows('NOT_BOOKED', 'conflict');
    const error = spec
      .given([
        ...booked,
        {
          type: 'CancellationRequested',
          data: {
            requestId: 'req-1',
            childId: LUCAS,
            activityId: ALSH_MERCREDI_ID,
            date: '2026-09-16',
            cancelledAt: RENTREE,
            by: parent.userId,
          },
        },
      ])
      .when(cancel(RENTREE))
      .thenThrows('NOT_BOOKED', 'conflict');
    expect(error.message).toBe('Cette réservation a déjà été annulée.');
  });

  it('refuses a configuration of another activity (422 ACTIVITY_MISMATCH)', () => {
    spec
      .given(booked)
      .when(cancel(RENTREE, { activity: RESTAURATION_SCOLAIRE }))
      .thenThrows('ACTIVITY_MISMATCH', 'invalid');
  });

  it('refuses an auditor (403 FORBIDDEN_ROLE)', () => {
    spec
      .given(booked)
      .when(cancel(RENTREE, { actor: { userId: 'a', role: 'auditor' } }))
      .thenThrows('FORBIDDEN_ROLE', 'forbidden');
  });
});

// ---------------------------------------------------------------------------------------------------
// Absences
// ---------------------------------------------------------------------------------------------------

describe('DeclareAbsence — canteen, certificate within 72 h, report by 09:00, else 3,75 €', () => {
  // Lucas eats at the canteen Thursday 24, Friday 25 and Monday 28 September.
  const booked = [
    ...enrolments,
    requested('c-24', LUCAS, RESTAURATION_ID, '2026-09-24'),
    requested('c-25', LUCAS, RESTAURATION_ID, '2026-09-25'),
    requested('c-28', LUCAS, RESTAURATION_ID, '2026-09-28'),
  ];
  const declare = (at: string, overrides: Partial<DeclareAbsence> = {}): DeclareAbsence => ({
    ...meta(at),
    type: 'DeclareAbsence',
    absenceId: 'abs-1',
    childId: LUCAS,
    activityId: RESTAURATION_ID,
    from: '2026-09-24',
    to: '2026-09-28',
    policy: DEFAULT_ABSENCE_POLICY,
    ...overrides,
  });
  const absence = (
    at: string,
    decisions: AbsenceDeclared['data']['decisions'],
    extra: Partial<AbsenceDeclared['data']> = {},
  ): AbsenceDeclared => ({
    type: 'AbsenceDeclared',
    data: {
      absenceId: 'abs-1',
      childId: LUCAS,
      activityId: RESTAURATION_ID,
      days: ['2026-09-24', '2026-09-25', '2026-09-28'],
      declaredAt: at,
      declaredBy: parent.userId,
      decisions,
      ...extra,
    },
  });

  it('reported on Thursday at 08:30: every booked day excused (the weekend is not booked)', () => {
    const at = '2026-09-24T06:30:00.000Z';
    const state = spec
      .given(booked)
      .when(declare(at))
      .then([
        absence(at, [
          { date: '2026-09-24', outcome: 'excused' },
          { date: '2026-09-25', outcome: 'excused' },
          { date: '2026-09-28', outcome: 'excused' },
        ]),
      ]);
    expect(state.absences['abs-1'].days).toEqual(['2026-09-24', '2026-09-25', '2026-09-28']);
  });

  it('reported on Thursday at 10:00: Thursday billed, the next days excused', () => {
    const at = '2026-09-24T08:00:00.000Z';
    spec
      .given(booked)
      .when(declare(at))
      .then([
        absence(at, [
          { date: '2026-09-24', outcome: 'billed' },
          { date: '2026-09-25', outcome: 'excused' },
          { date: '2026-09-28', outcome: 'excused' },
        ]),
      ]);
  });

  it('with a medical certificate within 72 h, excused even when reported late', () => {
    const at = '2026-09-25T14:00:00.000Z';
    const certificate = { reference: 'doc-certificat-0924', providedAt: '2026-09-25T13:55:00.000Z' };
    spec
      .given(booked)
      .when(declare(at, { certificate }))
      .then([
        absence(
          at,
          [
            { date: '2026-09-24', outcome: 'excused' },
            { date: '2026-09-25', outcome: 'excused' },
            { date: '2026-09-28', outcome: 'excused' },
          ],
          { certificate: { documentId: 'doc-certificat-0924', providedAt: '2026-09-25T13:55:00.000Z' } },
        ),
      ]);
  });

  it('refuses a reversed period (422 REVERSED_PERIOD)', () => {
    spec
      .given(booked)
      .when(declare(RENTREE, { from: '2026-09-28', to: '2026-09-24' }))
      .thenThrows('REVERSED_PERIOD', 'invalid');
  });

  it('refuses more than 31 days (422 PERIOD_TOO_LONG), accepts 31', () => {
    spec
      .given(booked)
      .when(declare(RENTREE, { from: '2026-09-01', to: '2026-10-02' }))
      .thenThrows('PERIOD_TOO_LONG', 'invalid');
    spec
      .given(booked)
      .when(declare('2026-09-24T06:30:00.000Z', { from: '2026-09-01', to: '2026-10-01' }))
      .then([
        absence('2026-09-24T06:30:00.000Z', [
          { date: '2026-09-24', outcome: 'excused' },
          { date: '2026-09-25', outcome: 'excused' },
          { date: '2026-09-28', outcome: 'excused' },
        ]),
      ]);
  });

  it('refuses a child not enrolled in the activity (422 NOT_ENROLLED)', () => {
    spec
      .given(booked)
      .when(declare(RENTREE, { childId: EMMA, activityId: ALSH_MERCREDI_ID }))
      .thenThrows('NOT_ENROLLED', 'invalid');
  });

  it('refuses a period without any booked day (409 NOT_BOOKED)', () => {
    const error = spec
      .given(booked)
      .when(declare(RENTREE, { from: '2026-09-21', to: '2026-09-22' }))
      .thenThrows('NOT_BOOKED', 'conflict');
    expect(error.message).toBe(
      "Aucune journée n'est réservée pour votre enfant à cette activité du lundi 21 septembre 2026 au mardi 22 septembre 2026 : il n'y a pas d'absence à signaler.",
    );
  });

  it('leaves out the days already reported, and refuses when none is left (409 ABSENCE_ALREADY_DECLARED)', () => {
    const first = absence(
      '2026-09-24T06:30:00.000Z',
      [
        { date: '2026-09-24', outcome: 'excused' },
        { date: '2026-09-25', outcome: 'excused' },
      ],
      { days: ['2026-09-24', '2026-09-25'] },
    );
    spec
      .given([...booked, first])
      .when(declare('2026-09-24T07:00:00.000Z', { absenceId: 'abs-2' }))
      .then([
        {
          type: 'AbsenceDeclared',
          data: {
            ...absence('2026-09-24T07:00:00.000Z', [{ date: '2026-09-28', outcome: 'excused' }]).data,
            absenceId: 'abs-2',
            days: ['2026-09-28'],
          },
        },
      ]);
    spec
      .given([...booked, first])
      .when(declare(RENTREE, { absenceId: 'abs-2', to: '2026-09-25' }))
      .thenThrows('ABSENCE_ALREADY_DECLARED', 'conflict');
  });

  it('lets a day cancelled and booked again be declared absent again (the old absence went with its reservation)', () => {
    const first = absence('2026-09-21T06:30:00.000Z', [{ date: '2026-09-24', outcome: 'excused' }], { days: ['2026-09-24'] });
    const cancelled: FamilyPlanningEvent = {
      type: 'CancellationRequested',
      data: { requestId: 'c-24', childId: LUCAS, activityId: RESTAURATION_ID, date: '2026-09-24', cancelledAt: RENTREE, by: parent.userId },
    };
    const again = requested('c-24-again', LUCAS, RESTAURATION_ID, '2026-09-24');
    spec
      .given([...booked, first, cancelled, again])
      .when(declare('2026-09-24T06:30:00.000Z', { absenceId: 'abs-2', to: '2026-09-24' }))
      .then([{ type: 'AbsenceDeclared', data: { ...first.data, absenceId: 'abs-2', declaredAt: '2026-09-24T06:30:00.000Z' } }]);
  });

  it('refuses an absenceId already used (409 ABSENCE_ALREADY_EXISTS)', () => {
    const first = absence('2026-09-24T06:30:00.000Z', [{ date: '2026-09-24', outcome: 'excused' }], { days: ['2026-09-24'] });
    spec
      .given([...booked, first])
      .when(declare(RENTREE, { from: '2026-09-28' }))
      .thenThrows('ABSENCE_ALREADY_EXISTS', 'conflict');
  });

  it('refuses a certificate provided in the future or without reference (422 INVALID_CERTIFICATE)', () => {
    spec
      .given(booked)
      .when(declare('2026-09-24T06:30:00.000Z', { certificate: { reference: 'doc', providedAt: '2026-09-25T06:30:00.000Z' } }))
      .thenThrows('INVALID_CERTIFICATE', 'invalid');
    spec
      .given(booked)
      .when(declare('2026-09-24T06:30:00.000Z', { certificate: { reference: ' ', providedAt: '2026-09-24T06:00:00.000Z' } }))
      .thenThrows('INVALID_CERTIFICATE', 'invalid');
  });

  it('refuses an auditor (403 FORBIDDEN_ROLE)', () => {
    spec
      .given(booked)
      .when(declare(RENTREE, { actor: { userId: 'a', role: 'auditor' } }))
      .thenThrows('FORBIDDEN_ROLE', 'forbidden');
  });

  it('does not count a cancelled day as booked', () => {
    const state: FamilyPlanningState = fold(familyPlanningDecider, [
      ...booked,
      {
        type: 'CancellationRequested',
        data: {
          requestId: 'c-28',
          childId: LUCAS,
          activityId: RESTAURATION_ID,
          date: '2026-09-28',
          cancelledAt: RENTREE,
          by: parent.userId,
        },
      },
    ]);
    const [event] = familyPlanningDecider.decide(declare('2026-09-24T06:30:00.000Z'), state) as AbsenceDeclared[];
    expect(event.data.days).toEqual(['2026-09-24', '2026-09-25']);
  });
});

describe('RecordReservationEnd (the allocator’s outcome fed back)', () => {
  const booked = [...enrolments, requested('req-1', LUCAS, ALSH_MERCREDI_ID, '2026-09-16')];
  const system: Actor = { userId: 'allocator', role: 'system' };
  const end = (actor: Actor = system): FamilyPlanningCommand => ({
    ...meta('2026-09-05T10:00:00.000Z', actor),
    type: 'RecordReservationEnd',
    requestId: 'req-1',
    reason: 'refused-by-staff',
  });

  it('frees the day of a request the allocator ended, so it can be asked for again', () => {
    const state = spec
      .given(booked)
      .when(end())
      .then([{ type: 'ReservationEnded', data: { requestId: 'req-1', reason: 'refused-by-staff', endedAt: '2026-09-05T10:00:00.000Z' } }]);
    expect(state.reservations['req-1']).toBeUndefined();
    expect(state.ended['req-1']).toMatchObject({ childId: LUCAS, status: 'ended' });
    expect(state.booked).toEqual({});
  });

  it('records nothing for a request already cancelled or ended (delivered twice), and refuses anyone but the system', () => {
    const cancelled: FamilyPlanningEvent = {
      type: 'CancellationRequested',
      data: {
        requestId: 'req-1',
        childId: LUCAS,
        activityId: ALSH_MERCREDI_ID,
        date: '2026-09-16',
        cancelledAt: RENTREE,
        by: parent.userId,
      },
    };
    spec
      .given([...booked, cancelled])
      .when(end())
      .then([]);
    spec
      .given([...booked, { type: 'ReservationEnded', data: { requestId: 'req-1', reason: 'closure', endedAt: RENTREE } }])
      .when(end())
      .then([]);
    spec.given(booked).when(end(parent)).thenThrows('FORBIDDEN_ROLE');
  });
});
