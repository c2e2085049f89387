import fc from 'fast-check';

import { DomainError } from '../../../platform/domain/domain-error';
import { addDays, isoWeekday, localDate, parisDateOf, startOfParisDay } from '../calendar/local-date';
import { isPublicHoliday } from '../calendar/public-holidays';
import type { DeadlineRule, Weekday } from '../planning.types';
import { deadlineFor, deadlineRuleProblems, describeDeadlineRule } from './deadline.rules';
import { NO_SKIP } from './test-fixtures';

/** True when the rule's deadline falls on the booked day itself (J-0). */
function isSameDayRule(rule: DeadlineRule): boolean {
  return rule.kind === 'days-before' && rule.days === 0;
}

const ctx = { isPublicHoliday: (d: string) => isPublicHoliday(d) };
const at = (rule: DeadlineRule, day: string) => deadlineFor(rule, day, ctx);

describe('deadlineFor — the examples of DOMAIN.md', () => {
  describe('canteen: by Tuesday 23:59 for the following week', () => {
    const canteen: DeadlineRule = { kind: 'weekday-previous-week', weekday: 2, time: '23:59' };

    it.each(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'])(
      'every day of the week of 16 November 2026 (%s) closes on Tuesday 10 November 23:59',
      (day) => {
        expect(at(canteen, day)).toBe('2026-11-10T22:59:00.000Z');
      },
    );

    it('differs from "the previous Tuesday", which is relative to each day', () => {
      const previousTuesday: DeadlineRule = { kind: 'previous-weekday', weekday: 2, time: '23:59' };
      expect(at(previousTuesday, '2026-11-16')).toBe('2026-11-10T22:59:00.000Z'); // Monday → 6 days before
      expect(at(previousTuesday, '2026-11-17')).toBe('2026-11-10T22:59:00.000Z'); // Tuesday → a week before
      expect(at(previousTuesday, '2026-11-18')).toBe('2026-11-17T22:59:00.000Z'); // Wednesday → the day before
      expect(at(previousTuesday, '2026-11-20')).toBe('2026-11-17T22:59:00.000Z');
    });
  });

  it('garderie: by the day before 18:00', () => {
    const garderie: DeadlineRule = { kind: 'days-before', days: 1, time: '18:00', skip: NO_SKIP };
    expect(at(garderie, '2026-11-16')).toBe('2026-11-15T17:00:00.000Z'); // Monday → Sunday 18:00
    expect(at(garderie, '2026-06-10')).toBe('2026-06-09T16:00:00.000Z'); // summer time
  });

  describe('"J-2, weekend not counted, 12:00"', () => {
    const rule: DeadlineRule = {
      kind: 'days-before',
      days: 2,
      time: '12:00',
      skip: { weekends: true, publicHolidays: false, weekdays: [] },
    };
    it("closes Monday's booking on Thursday noon", () => {
      expect(at(rule, '2026-11-16')).toBe('2026-11-12T11:00:00.000Z');
    });
    it('closes Tuesday on Friday and Wednesday on Monday', () => {
      expect(at(rule, '2026-11-17')).toBe('2026-11-13T11:00:00.000Z');
      expect(at(rule, '2026-11-18')).toBe('2026-11-16T11:00:00.000Z');
    });
  });

  it('Wednesday leisure centre: by Thursday 12:00 of the previous week', () => {
    const rule: DeadlineRule = { kind: 'weekday-previous-week', weekday: 4, time: '12:00' };
    expect(at(rule, '2026-04-15')).toBe('2026-04-09T10:00:00.000Z');
    expect(at(rule, '2026-11-18')).toBe('2026-11-12T11:00:00.000Z');
  });

  describe('periscolaire: 72 h before (the start of the booked day, 00:00 Paris)', () => {
    const rule: DeadlineRule = { kind: 'hours-before', hours: 72 };
    it('closes Friday on Tuesday 00:00, i.e. at the end of Monday', () => {
      expect(at(rule, '2026-11-20')).toBe('2026-11-16T23:00:00.000Z');
    });
    it('counts real hours across a DST change (Tuesday 30 March 2027 → Friday 26 March 23:00)', () => {
      expect(startOfParisDay('2027-03-30')).toBe('2027-03-29T22:00:00.000Z');
      expect(at(rule, '2027-03-30')).toBe('2027-03-26T22:00:00.000Z');
    });
  });
});

describe('deadlineFor — skipping public holidays and chosen weekdays', () => {
  const jMinus1 = (publicHolidays: boolean, weekdays: Weekday[] = []): DeadlineRule => ({
    kind: 'days-before',
    days: 1,
    time: '18:00',
    skip: { weekends: true, publicHolidays, weekdays },
  });

  it('J-1 for the day after Lundi de Pâques 2027 goes back to the Friday when holidays are skipped', () => {
    expect(at(jMinus1(true), '2027-03-30')).toBe('2027-03-26T17:00:00.000Z'); // Friday 26 March 18:00 CET
    expect(at(jMinus1(false), '2027-03-30')).toBe('2027-03-29T16:00:00.000Z'); // Monday 29 March 18:00 CEST
  });

  it('J-1 for the Friday after Ascension 2027 is the Wednesday', () => {
    expect(at(jMinus1(true), '2027-05-07')).toBe('2027-05-05T16:00:00.000Z');
  });

  it('skips chosen weekdays (no office on Wednesdays)', () => {
    expect(at(jMinus1(false, [3]), '2026-11-19')).toBe('2026-11-17T17:00:00.000Z'); // Thursday → Tuesday
    const j2: DeadlineRule = {
      kind: 'days-before',
      days: 2,
      time: '12:00',
      skip: { weekends: true, publicHolidays: false, weekdays: [3] },
    };
    expect(at(j2, '2026-11-20')).toBe('2026-11-17T11:00:00.000Z'); // Friday → Thu (1), Wed skipped, Tue (2)
  });

  it('J-0 is the booked day itself, even a skipped kind of day', () => {
    const j0: DeadlineRule = { kind: 'days-before', days: 0, time: '09:00', skip: { weekends: true, publicHolidays: true, weekdays: [] } };
    expect(at(j0, '2026-11-16')).toBe('2026-11-16T08:00:00.000Z');
    expect(isSameDayRule(j0)).toBe(true);
  });
});

describe('deadlineFor — DST days', () => {
  const j1 = (time: string): DeadlineRule => ({ kind: 'days-before', days: 1, time, skip: NO_SKIP });

  it('on the last Sunday of March (2027-03-28), before and after 02:00', () => {
    expect(at(j1('12:00'), '2027-03-29')).toBe('2027-03-28T10:00:00.000Z'); // CEST, UTC+2
    expect(at(j1('01:00'), '2027-03-29')).toBe('2027-03-28T00:00:00.000Z'); // still CET, UTC+1
    expect(at(j1('02:30'), '2027-03-29')).toBe('2027-03-28T01:30:00.000Z'); // 02:30 does not exist → 03:30 CEST
    const sunday: DeadlineRule = { kind: 'weekday-previous-week', weekday: 7, time: '23:59' };
    expect(at(sunday, '2027-03-31')).toBe('2027-03-28T21:59:00.000Z');
  });

  it('on the last Sunday of October (2026-10-25), before and after 03:00', () => {
    expect(at(j1('12:00'), '2026-10-26')).toBe('2026-10-25T11:00:00.000Z'); // CET, UTC+1
    expect(at(j1('01:00'), '2026-10-26')).toBe('2026-10-24T23:00:00.000Z'); // still CEST, UTC+2
    // 24 h before Monday 26 October 00:00 is Sunday 01:00: that Sunday lasts 25 hours
    expect(at({ kind: 'hours-before', hours: 24 }, '2026-10-26')).toBe('2026-10-24T23:00:00.000Z');
  });

  it('a day after the change has the new offset', () => {
    expect(at({ kind: 'weekday-previous-week', weekday: 4, time: '12:00' }, '2027-03-31')).toBe('2027-03-25T11:00:00.000Z');
    expect(at({ kind: 'weekday-previous-week', weekday: 4, time: '12:00' }, '2027-04-07')).toBe('2027-04-01T10:00:00.000Z');
  });
});

describe('deadlineFor — the other forms', () => {
  it('"<weekday> two weeks before"', () => {
    const rule: DeadlineRule = { kind: 'weekday-weeks-before', weekday: 1, weeks: 2, time: '08:00' };
    expect(at(rule, '2026-11-18')).toBe('2026-11-02T07:00:00.000Z');
    expect(at(rule, '2026-11-22')).toBe('2026-11-02T07:00:00.000Z'); // Sunday: same ISO week
  });

  it('"the n-th of the previous month", clamped to short months and across the year', () => {
    const rule = (day: number): DeadlineRule => ({ kind: 'day-of-previous-month', day, time: '23:59' });
    expect(at(rule(20), '2027-05-12')).toBe('2027-04-20T21:59:00.000Z');
    expect(at(rule(20), '2027-05-31')).toBe('2027-04-20T21:59:00.000Z');
    expect(at(rule(31), '2027-03-10')).toBe('2027-02-28T22:59:00.000Z');
    expect(at(rule(29), '2028-03-10')).toBe('2028-02-29T22:59:00.000Z'); // leap year
    expect(at(rule(15), '2027-01-06')).toBe('2026-12-15T22:59:00.000Z');
  });
});

describe('invalid rules', () => {
  it.each<[DeadlineRule, RegExp]>([
    [{ kind: 'days-before', days: -1, time: '12:00', skip: NO_SKIP }, /nombre de jours/],
    [{ kind: 'days-before', days: 1, time: '24:00', skip: NO_SKIP }, /HH:mm/],
    [
      { kind: 'days-before', days: 1, time: '12:00', skip: { weekends: true, publicHolidays: false, weekdays: [1, 2, 3, 4, 5] } },
      /Au moins un jour/,
    ],
    [{ kind: 'weekday-previous-week', weekday: 8 as Weekday, time: '12:00' }, /jour de la semaine/],
    [{ kind: 'weekday-weeks-before', weekday: 1, weeks: 0, time: '12:00' }, /semaines/],
    [{ kind: 'day-of-previous-month', day: 32, time: '12:00' }, /jour du mois/],
    [{ kind: 'hours-before', hours: 1.5 }, /heures/],
  ])('%j is refused', (rule, message) => {
    expect(deadlineRuleProblems(rule).join(' ')).toMatch(message);
    expect(() => at(rule, '2026-11-16')).toThrow(DomainError);
  });
});

describe('describeDeadlineRule', () => {
  it.each<[DeadlineRule, string]>([
    [{ kind: 'days-before', days: 1, time: '18:00', skip: NO_SKIP }, 'la veille à 18:00'],
    [{ kind: 'days-before', days: 0, time: '09:00', skip: NO_SKIP }, 'le jour même à 09:00'],
    [
      { kind: 'days-before', days: 2, time: '12:00', skip: { weekends: true, publicHolidays: false, weekdays: [] } },
      'J-2 à 12:00, sans compter les week-ends',
    ],
    [
      { kind: 'days-before', days: 3, time: '10:00', skip: { weekends: true, publicHolidays: true, weekdays: [3] } },
      'J-3 à 10:00, sans compter les week-ends, les jours fériés et les mercredis',
    ],
    [{ kind: 'weekday-previous-week', weekday: 4, time: '12:00' }, 'le jeudi de la semaine précédente à 12:00'],
    [{ kind: 'previous-weekday', weekday: 2, time: '23:59' }, 'le mardi précédent à 23:59'],
    [{ kind: 'weekday-weeks-before', weekday: 1, weeks: 2, time: '08:00' }, 'le lundi deux semaines avant à 08:00'],
    [{ kind: 'day-of-previous-month', day: 20, time: '23:59' }, 'le 20 du mois précédent à 23:59'],
    [{ kind: 'hours-before', hours: 72 }, '72 h avant le jour réservé'],
  ])('%j → « %s »', (rule, text) => {
    expect(describeDeadlineRule(rule)).toBe(text);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------

const weekdayArb = fc.integer({ min: 1, max: 7 }).map((n) => n as Weekday);
const timeArb = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

const ruleArb: fc.Arbitrary<DeadlineRule> = fc.oneof(
  fc
    .record({
      days: fc.integer({ min: 0, max: 30 }),
      time: timeArb,
      weekends: fc.boolean(),
      publicHolidays: fc.boolean(),
      weekdays: fc.uniqueArray(weekdayArb, { maxLength: 4 }),
    })
    .filter(({ weekends, weekdays }) => new Set([...weekdays, ...(weekends ? [6, 7] : [])]).size < 7)
    .map(({ days, time, weekends, publicHolidays, weekdays }): DeadlineRule => ({
      kind: 'days-before',
      days,
      time,
      skip: { weekends, publicHolidays, weekdays },
    })),
  fc.record({ weekday: weekdayArb, time: timeArb }).map((r): DeadlineRule => ({ kind: 'weekday-previous-week', ...r })),
  fc.record({ weekday: weekdayArb, time: timeArb }).map((r): DeadlineRule => ({ kind: 'previous-weekday', ...r })),
  fc
    .record({ weekday: weekdayArb, weeks: fc.integer({ min: 1, max: 6 }), time: timeArb })
    .map((r): DeadlineRule => ({ kind: 'weekday-weeks-before', ...r })),
  fc.record({ day: fc.integer({ min: 1, max: 31 }), time: timeArb }).map((r): DeadlineRule => ({ kind: 'day-of-previous-month', ...r })),
  fc.integer({ min: 0, max: 24 * 30 }).map((hours): DeadlineRule => ({ kind: 'hours-before', hours })),
);

const dayArb = fc.integer({ min: 0, max: 365 * 4 }).map((offset) => addDays(localDate(2026, 1, 1), offset));

describe('deadline invariants (fast-check)', () => {
  it('the deadline is at or before the start of the booked day, except J-0 whose deadline lies within the day', () => {
    fc.assert(
      fc.property(ruleArb, dayArb, (rule, day) => {
        const deadline = Date.parse(at(rule, day));
        const start = Date.parse(startOfParisDay(day));
        const end = Date.parse(startOfParisDay(addDays(day, 1)));
        if (isSameDayRule(rule)) return start <= deadline && deadline < end;
        return deadline <= start;
      }),
      { numRuns: 2000 },
    );
  });

  it('a later booked day never has an earlier deadline', () => {
    fc.assert(
      fc.property(ruleArb, dayArb, fc.integer({ min: 1, max: 60 }), (rule, day, later) => {
        return Date.parse(at(rule, day)) <= Date.parse(at(rule, addDays(day, later)));
      }),
      { numRuns: 1000 },
    );
  });

  it('a "days-before" deadline that skips kinds of days never falls on a skipped day', () => {
    fc.assert(
      fc.property(ruleArb, dayArb, (rule, day) => {
        if (rule.kind !== 'days-before' || rule.days === 0) return true;
        const deadlineDay = parisDateOf(at(rule, day));
        const weekday = isoWeekday(deadlineDay);
        if (rule.skip.weekends && weekday >= 6) return false;
        if (rule.skip.weekdays.includes(weekday)) return false;
        return !(rule.skip.publicHolidays && isPublicHoliday(deadlineDay));
      }),
      { numRuns: 1000 },
    );
  });
});
