import { ZONES } from '../planning.types';
import { addDays, isoWeekday } from './local-date';
import { OFFICIAL_HOLIDAYS, OFFICIAL_SCHOOL_YEARS, officialSchoolCalendar } from './official-school-calendar';
import { dayKind } from './school-calendar';

const winter = (zone: 'A' | 'B' | 'C', year: number) =>
  officialSchoolCalendar(zone).holidays.find((p) => p.name === "Vacances d'Hiver" && p.from.startsWith(String(year)));

describe('the official school calendar', () => {
  it('ships the winter holidays 2027 of each zone (C first, then A, then B)', () => {
    expect(winter('C', 2027)).toEqual({ name: "Vacances d'Hiver", kind: 'petites', from: '2027-02-06', to: '2027-02-21', zone: 'C' });
    expect(winter('A', 2027)).toEqual({ name: "Vacances d'Hiver", kind: 'petites', from: '2027-02-13', to: '2027-02-28', zone: 'A' });
    expect(winter('B', 2027)).toEqual({ name: "Vacances d'Hiver", kind: 'petites', from: '2027-02-20', to: '2027-03-07', zone: 'B' });
  });

  it('ships the winter holidays 2028 of each zone, marked provisional', () => {
    expect(winter('B', 2028)).toMatchObject({ from: '2028-02-05', to: '2028-02-20', provisional: true });
    expect(winter('C', 2028)).toMatchObject({ from: '2028-02-12', to: '2028-02-27', provisional: true });
    expect(winter('A', 2028)).toMatchObject({ from: '2028-02-19', to: '2028-03-05', provisional: true });
  });

  it.each(ZONES)('zone %s: a winter holiday day is petites-vacances, the Monday of the reprise a school day', (zone) => {
    const calendar = officialSchoolCalendar(zone);
    const period = winter(zone, 2027);
    if (!period) throw new Error('missing');
    expect(dayKind(addDays(period.from, 2), calendar)).toBe('petites-vacances'); // the first Monday
    expect(dayKind(addDays(period.to, 1), calendar)).toBe('school-day'); // reprise
    expect(dayKind(addDays(period.from, -1), calendar)).toBe('school-day'); // the last Friday of class
  });

  it('shares Toussaint, Noël and the summer between the zones', () => {
    for (const zone of ZONES) {
      const names = officialSchoolCalendar(zone).holidays.map((p) => `${p.name} ${p.from}→${p.to}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'Vacances de la Toussaint 2026-10-17→2026-11-01',
          'Vacances de Noël 2026-12-19→2027-01-03',
          "Vacances d'Été 2027-07-03→2027-08-31",
        ]),
      );
    }
  });

  it('follows its convention: from = the Saturday classes end, to = the day before the reprise', () => {
    for (const period of OFFICIAL_HOLIDAYS) {
      expect(isoWeekday(period.from)).toBe(6);
      if (period.kind === 'petites') {
        // the reprise is a Monday, or a Tuesday after a Monday public holiday (8 May 2028, 1 May 2028)
        expect([1, 2]).toContain(isoWeekday(addDays(period.to, 1)));
      }
      expect(period.from <= period.to).toBe(true);
    }
  });

  it('has no overlapping periods within a zone', () => {
    for (const zone of ZONES) {
      const periods = officialSchoolCalendar(zone).holidays;
      const sorted = [...periods].sort((a, b) => a.from.localeCompare(b.from));
      for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1].to < sorted[i].from).toBe(true);
      expect(periods.filter((p) => p.kind === 'petites' && p.from >= '2026-09-01' && p.to < '2027-09-01')).toHaveLength(4);
      expect(periods.filter((p) => p.kind === 'petites' && p.from >= '2027-09-01' && p.to < '2028-09-01')).toHaveLength(4);
    }
  });

  it('covers the school years 2026-2027 and 2027-2028, rentrée to the day before the next one', () => {
    expect(OFFICIAL_SCHOOL_YEARS.map((y) => [y.id, y.start, y.end])).toEqual([
      ['2026-2027', '2026-09-01', '2027-08-31'],
      ['2027-2028', '2027-09-01', '2028-08-31'],
    ]);
    // each summer ends the day before the next rentrée
    const summers = OFFICIAL_HOLIDAYS.filter((p) => p.kind === 'grandes' && p.zone === 'A');
    expect(summers.map((p) => addDays(p.to, 1))).toEqual(['2026-09-01', '2027-09-01', '2028-09-01']);
  });

  it('keeps every 2027-2028 period provisional, and the 2026-2027 petites vacances confirmed', () => {
    for (const period of OFFICIAL_HOLIDAYS) {
      if (period.from >= '2027-09-01') expect(period.provisional).toBe(true);
      if (period.kind === 'petites' && period.from < '2027-09-01') expect(period.provisional).toBeUndefined();
    }
  });

  it('returns a fresh copy the caller can change', () => {
    const calendar = officialSchoolCalendar('A');
    calendar.holidays[0].name = 'changed';
    expect(officialSchoolCalendar('A').holidays[0].name).not.toBe('changed');
  });
});
