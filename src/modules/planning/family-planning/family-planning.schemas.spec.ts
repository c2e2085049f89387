import type { z } from 'zod';

import type { DeclareAbsence, EnrolChild, RequestReservation, ReservationItem } from './family-planning.decider';
import {
  declareAbsenceBodySchema,
  enrolChildBodySchema,
  requestReservationBodySchema,
  requestReservationsBodySchema,
  typicalWeekBodySchema,
} from './family-planning.schemas';
import type { TypicalWeek } from './typical-week';

// --- compile-time: a parsed body plus what the server fills is a valid command ------------------------
type Assert<T extends true> = T;
export type SchemasMatchCommands = [
  Assert<
    z.output<typeof enrolChildBodySchema> extends Pick<EnrolChild, 'childId' | 'activityId' | 'schoolYear' | 'regularDays'> ? true : false
  >,
  Assert<z.output<typeof requestReservationBodySchema> extends Pick<RequestReservation, 'childId' | 'activityId' | 'date'> ? true : false>,
  Assert<z.output<typeof requestReservationsBodySchema>['items'][number] extends Omit<ReservationItem, 'requestId'> ? true : false>,
  Assert<z.output<typeof typicalWeekBodySchema> extends TypicalWeek ? true : false>,
  Assert<
    Omit<z.output<typeof declareAbsenceBodySchema>, 'certificate'> extends Pick<DeclareAbsence, 'childId' | 'activityId' | 'from' | 'to'>
      ? true
      : false
  >,
];

describe('family planning bodies', () => {
  it('enrols with a regular contract (no regular day by default)', () => {
    expect(
      enrolChildBodySchema.parse({
        childId: 'child-lucas',
        activityId: 'restauration-scolaire',
        schoolYear: '2026-2027',
        regularDays: [1, 2, 4, 5],
      }),
    ).toEqual({ childId: 'child-lucas', activityId: 'restauration-scolaire', schoolYear: '2026-2027', regularDays: [1, 2, 4, 5] });
    expect(
      enrolChildBodySchema.parse({ childId: 'child-lucas', activityId: 'alsh-mercredi-pm', schoolYear: '2026-2027' }).regularDays,
    ).toEqual([]);
  });

  it.each([
    ['a school year 2026-2028', { schoolYear: '2026-2028' }],
    ['a Saturday in the contract', { regularDays: [6] }],
    ['a day twice', { regularDays: [1, 1] }],
    ['an unknown key', { places: 2 }],
  ])('refuses an enrolment with %s', (_label, change) => {
    const body = { childId: 'child-lucas', activityId: 'restauration-scolaire', schoolYear: '2026-2027', regularDays: [1], ...change };
    expect(enrolChildBodySchema.safeParse(body).success).toBe(false);
  });

  it('books a real day only', () => {
    expect(requestReservationBodySchema.safeParse({ childId: 'c', activityId: 'alsh-mercredi-pm', date: '2026-09-16' }).success).toBe(true);
    expect(requestReservationBodySchema.safeParse({ childId: 'c', activityId: 'alsh-mercredi-pm', date: '2027-02-29' }).success).toBe(
      false,
    );
  });

  it('caps a bulk request at 1000 days and refuses an empty one', () => {
    const day = { childId: 'c', activityId: 'alsh-mercredi-pm', date: '2026-09-16' };
    expect(requestReservationsBodySchema.safeParse({ items: Array.from({ length: 1000 }, () => day) }).success).toBe(true);
    expect(requestReservationsBodySchema.safeParse({ items: Array.from({ length: 1001 }, () => day) }).success).toBe(false);
    expect(requestReservationsBodySchema.safeParse({ items: [] }).success).toBe(false);
  });

  it('takes a "semaine type" over a period of a year at most', () => {
    const week = {
      from: '2026-09-01',
      to: '2027-07-02',
      lines: [{ childId: 'c', activityId: 'restauration-scolaire', weekdays: [1, 2, 4, 5] }],
    };
    expect(typicalWeekBodySchema.safeParse(week).success).toBe(true);
    expect(typicalWeekBodySchema.safeParse({ ...week, to: '2027-09-02' }).success).toBe(false);
    expect(typicalWeekBodySchema.safeParse({ ...week, from: '2027-07-03' }).success).toBe(false);
  });

  it('declares an absence of 31 days at most, with a certificate reference but never its date', () => {
    const absence = {
      childId: 'c',
      activityId: 'restauration-scolaire',
      from: '2026-09-01',
      to: '2026-10-01',
      certificate: { reference: 'doc-1' },
    };
    expect(declareAbsenceBodySchema.safeParse(absence).success).toBe(true);
    expect(declareAbsenceBodySchema.safeParse({ ...absence, to: '2026-10-02' }).success).toBe(false);
    expect(declareAbsenceBodySchema.safeParse({ ...absence, from: '2026-10-02' }).success).toBe(false);
    expect(
      declareAbsenceBodySchema.safeParse({ ...absence, certificate: { reference: 'doc-1', providedAt: '2026-09-01T08:00:00Z' } }).success,
    ).toBe(false);
  });
});
