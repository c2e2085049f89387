import { DomainError } from '../../../platform/domain/domain-error';
import type { Closure } from '../planning.types';
import { alshMercredi, alshVacances, garderieMatin, restauration } from '../rules/test-fixtures';
import { officialSchoolCalendar } from './official-school-calendar';
import { isPublicHoliday } from './public-holidays';
import { adjustCalendar, closuresOn, dayKind, findSchoolYear, holidayOn, runsOn, schoolYearOf } from './school-calendar';

const zoneA = officialSchoolCalendar('A');
const zoneC = officialSchoolCalendar('C');

describe('dayKind', () => {
  it.each([
    ['2026-11-10', 'school-day'], // Tuesday
    ['2026-11-11', 'public-holiday'], // Armistice, a Wednesday
    ['2026-11-12', 'school-day'],
    ['2026-11-18', 'wednesday'],
    ['2026-11-14', 'weekend'],
    ['2026-10-19', 'petites-vacances'], // Toussaint
    ['2026-10-17', 'weekend'], // the Saturday the holidays start
    ['2026-11-01', 'public-holiday'], // Toussaint (a Sunday) in the holidays
    ['2027-02-15', 'petites-vacances'], // winter, zone A
    ['2027-02-22', 'petites-vacances'],
    ['2027-03-01', 'school-day'], // reprise zone A
    ['2027-03-29', 'public-holiday'], // Lundi de Pâques
    ['2027-05-06', 'public-holiday'], // Ascension
    ['2027-07-05', 'grandes-vacances'],
    ['2027-07-14', 'public-holiday'],
    ['2027-07-02', 'school-day'], // the last Friday of class
  ])('zone A, %s is %s', (date, kind) => {
    expect(dayKind(date, zoneA)).toBe(kind);
  });

  it('depends on the zone for the winter holidays', () => {
    expect(dayKind('2027-02-08', zoneC)).toBe('petites-vacances');
    expect(dayKind('2027-02-08', zoneA)).toBe('school-day');
    expect(dayKind('2027-02-22', zoneC)).toBe('school-day');
  });

  it('takes the public holidays to use as an argument', () => {
    expect(dayKind('2027-03-26', zoneA, (d) => isPublicHoliday(d, { alsaceMoselle: true }))).toBe('public-holiday');
    expect(dayKind('2027-03-26', zoneA)).toBe('school-day');
  });
});

describe('school years', () => {
  it('follows the September–August convention', () => {
    expect(schoolYearOf('2026-09-01')).toBe('2026-2027');
    expect(schoolYearOf('2027-08-31')).toBe('2026-2027');
    expect(schoolYearOf('2027-09-01')).toBe('2027-2028');
    expect(schoolYearOf('2027-01-15')).toBe('2026-2027');
  });

  it('finds the calendar year of a day, summer included, and nothing outside', () => {
    expect(findSchoolYear('2027-07-20', zoneA)?.id).toBe('2026-2027');
    expect(findSchoolYear('2027-09-01', zoneA)?.id).toBe('2027-2028');
    expect(findSchoolYear('2026-08-31', zoneA)).toBeUndefined();
    expect(findSchoolYear('2028-09-01', zoneA)).toBeUndefined();
  });
});

describe('adjustCalendar', () => {
  it("adds the pont de l'Ascension (Friday 7 May 2027)", () => {
    const adjusted = adjustCalendar(zoneA, [
      { type: 'add-holiday', holiday: { name: "Pont de l'Ascension", kind: 'petites', from: '2027-05-07', to: '2027-05-09' } },
    ]);
    expect(dayKind('2027-05-07', adjusted)).toBe('petites-vacances');
    expect(holidayOn('2027-05-07', adjusted)).toMatchObject({ name: "Pont de l'Ascension", zone: 'A' });
    expect(dayKind('2027-05-07', zoneA)).toBe('school-day'); // the base is untouched
  });

  it('removes holiday days, splitting a period', () => {
    const adjusted = adjustCalendar(zoneA, [{ type: 'remove-holiday-days', from: '2026-10-26', to: '2026-10-28' }]);
    const toussaint = adjusted.holidays.filter((p) => p.name === 'Vacances de la Toussaint' && p.from < '2027-01-01');
    expect(toussaint.map((p) => [p.from, p.to])).toEqual([
      ['2026-10-17', '2026-10-25'],
      ['2026-10-29', '2026-11-01'],
    ]);
    expect(dayKind('2026-10-27', adjusted)).toBe('school-day');
    expect(dayKind('2026-10-29', adjusted)).toBe('petites-vacances');
  });

  it('moves a period, which is then no longer provisional', () => {
    const adjusted = adjustCalendar(zoneA, [
      { type: 'move-holiday', name: 'Vacances de Printemps', currentFrom: '2028-04-22', from: '2028-04-15', to: '2028-04-30' },
    ]);
    const spring = adjusted.holidays.find((p) => p.name === 'Vacances de Printemps' && p.from.startsWith('2028'));
    expect(spring).toEqual({ name: 'Vacances de Printemps', kind: 'petites', from: '2028-04-15', to: '2028-04-30', zone: 'A' });
  });

  it('sets a school year (once the rentrée is known)', () => {
    const adjusted = adjustCalendar(zoneA, [
      { type: 'set-school-year', schoolYear: { id: '2027-2028', start: '2027-09-02', end: '2028-09-03' } },
    ]);
    expect(adjusted.schoolYears.map((y) => y.id)).toEqual(['2026-2027', '2027-2028']);
    expect(findSchoolYear('2027-09-01', adjusted)).toBeUndefined();
    expect(findSchoolYear('2028-09-02', adjusted)?.id).toBe('2027-2028');
  });

  it('refuses an unknown period or an inverted range', () => {
    expect(() =>
      adjustCalendar(zoneA, [
        { type: 'move-holiday', name: 'Vacances de Noël', currentFrom: '2026-12-20', from: '2026-12-19', to: '2027-01-03' },
      ]),
    ).toThrow(DomainError);
    expect(() => adjustCalendar(zoneA, [{ type: 'remove-holiday-days', from: '2026-10-28', to: '2026-10-26' }])).toThrow(
      /n'est pas valide/,
    );
  });
});

describe('closures and runsOn', () => {
  const closures: Closure[] = [
    { closureId: 'c1', scope: { facilityId: 'alsh-saint-jean' }, from: '2026-12-21', to: '2026-12-24', reason: 'Fermeture de fin d’année' },
    { closureId: 'c2', scope: { activityId: 'garderie-matin' }, from: '2026-11-20', to: '2026-11-20', reason: 'Journée pédagogique' },
    { closureId: 'c3', scope: { facilityId: 'alsh-saint-jean' }, from: '2026-11-25', to: '2026-11-25', reason: 'Travaux' },
  ];

  it('finds the closures of an activity or of its facility', () => {
    expect(closuresOn(alshVacances, '2026-12-22', closures).map((c) => c.closureId)).toEqual(['c1']);
    expect(closuresOn(garderieMatin, '2026-11-20', closures).map((c) => c.closureId)).toEqual(['c2']);
    expect(closuresOn(restauration, '2026-11-20', closures)).toEqual([]);
  });

  it('runs on the days of its periods', () => {
    expect(runsOn(alshMercredi, '2026-11-18', zoneA)).toEqual({ runs: true, dayKind: 'wednesday' });
    expect(runsOn(alshVacances, '2026-10-19', zoneA)).toMatchObject({ runs: true, dayKind: 'petites-vacances' });
    expect(runsOn(alshVacances, '2027-07-05', zoneA)).toMatchObject({ runs: true, dayKind: 'grandes-vacances' });
  });

  it('gives the reason and the grid code of a day without service', () => {
    expect(runsOn(restauration, '2027-03-29', zoneA)).toMatchObject({ runs: false, reason: 'public-holiday', gridCode: 'F' });
    expect(runsOn(alshMercredi, '2026-10-21', zoneA)).toMatchObject({ runs: false, reason: 'petites-vacances', gridCode: 'P' });
    expect(runsOn(restauration, '2027-07-07', zoneA)).toMatchObject({ runs: false, reason: 'grandes-vacances', gridCode: 'G' });
    expect(runsOn(restauration, '2026-11-21', zoneA)).toMatchObject({ runs: false, reason: 'weekend', gridCode: null });
    expect(runsOn(alshMercredi, '2026-11-19', zoneA)).toMatchObject({ runs: false, reason: 'school-day', gridCode: null });
    expect(runsOn(alshVacances, '2026-11-18', zoneA)).toMatchObject({ runs: false, reason: 'wednesday' });
  });

  it("honours the activity's weekdays (no canteen on Wednesdays)", () => {
    const canteenOnWednesdays = { ...restauration, periods: { ...restauration.periods, wednesdays: true } };
    expect(runsOn(canteenOnWednesdays, '2026-11-18', zoneA)).toMatchObject({ runs: false, reason: 'weekday' });
    expect(runsOn(canteenOnWednesdays, '2026-11-19', zoneA)).toMatchObject({ runs: true });
  });

  it('is closed on a closure day of a running day, with the closure', () => {
    expect(runsOn(alshVacances, '2026-12-22', zoneA, { closures })).toMatchObject({
      runs: false,
      reason: 'closed',
      gridCode: 'Fermeture',
      closure: { closureId: 'c1' },
    });
    expect(runsOn(garderieMatin, '2026-11-20', zoneA, { closures })).toMatchObject({ reason: 'closed' });
    // a facility closure on a day the activity does not run anyway shows as that day's kind
    expect(runsOn(alshVacances, '2026-11-25', zoneA, { closures })).toMatchObject({ reason: 'wednesday' });
  });
});
