/**
 * The kind of each day (school day, Wednesday, holidays, public holiday, weekend), the school year a
 * day belongs to, a commune's adjustments of the official calendar, closures, and whether an activity
 * runs on a day. Pure functions: the calendar, closures and public holidays come in as arguments.
 */
import { DomainError } from '../../../platform/domain/domain-error';
import {
  type Activity,
  type Closure,
  type DayKind,
  type HolidayPeriod,
  isActivityScope,
  isLocalDate,
  type LocalDate,
  type SchoolCalendar,
  type SchoolYear,
} from '../planning.types';
import { addDays, isoWeekday, isWithin, parts } from './local-date';
import { isPublicHoliday } from './public-holidays';

/** Tells whether a day is a public holiday (by default the national list, see public-holidays.ts). */
export type PublicHolidayLookup = (date: LocalDate) => boolean;

// ---------------------------------------------------------------------------------------------------
// Day kinds
// ---------------------------------------------------------------------------------------------------

/** The holiday period of the calendar that contains `date`, if any. */
export function holidayOn(date: LocalDate, calendar: SchoolCalendar): HolidayPeriod | undefined {
  return calendar.holidays.find((period) => isWithin(date, period.from, period.to));
}

/**
 * The kind of a day, by precedence: a public holiday (even on a weekend or in the holidays) >
 * a weekend (Saturday, Sunday — also inside holiday periods, since activities run Monday to Friday) >
 * grandes / petites vacances > Wednesday > school day (Mon, Tue, Thu, Fri).
 * A day outside every known school year and holiday is still a 'school-day' or 'wednesday' by its
 * weekday: whether it can be booked is `checkBooking`'s OUTSIDE_SCHOOL_YEAR.
 */
export function dayKind(date: LocalDate, calendar: SchoolCalendar, publicHolidays: PublicHolidayLookup = isPublicHoliday): DayKind {
  if (publicHolidays(date)) return 'public-holiday';
  const weekday = isoWeekday(date);
  if (weekday >= 6) return 'weekend';
  const holiday = holidayOn(date, calendar);
  if (holiday) return holiday.kind === 'grandes' ? 'grandes-vacances' : 'petites-vacances';
  return weekday === 3 ? 'wednesday' : 'school-day';
}

// ---------------------------------------------------------------------------------------------------
// School years
// ---------------------------------------------------------------------------------------------------

/**
 * The school year id of a day by the September–August convention of the account statements
 * ('2026-09-01'…'2027-08-31' → '2026-2027'). Use `findSchoolYear` to follow a calendar's exact
 * rentrée dates.
 */
export function schoolYearOf(date: LocalDate): string {
  const { year, month } = parts(date);
  const first = month >= 9 ? year : year - 1;
  return `${first}-${first + 1}`;
}

/** The school year of the calendar that contains `date` (rentrée … day before the next rentrée). */
export function findSchoolYear(date: LocalDate, calendar: SchoolCalendar): SchoolYear | undefined {
  return calendar.schoolYears.find((year) => isWithin(date, year.start, year.end));
}

// ---------------------------------------------------------------------------------------------------
// A commune's adjustments
// ---------------------------------------------------------------------------------------------------

/**
 * How a commune changes the official calendar:
 * - 'add-holiday': a period without school, e.g. the "pont de l'Ascension" (Friday after Ascension);
 * - 'remove-holiday-days': days of official holidays that become school days for this commune (a period
 *   is cut, or split in two);
 * - 'move-holiday': new dates for one period (found by name and its current first day), e.g. a local
 *   derogation granted by the rector;
 * - 'set-school-year': add a school year or replace the one with the same id (e.g. once the rentrée
 *   2027 is officially known).
 * An adjusted or added period is no longer provisional: the commune vouches for it.
 */
export type CalendarAdjustment =
  | { type: 'add-holiday'; holiday: Omit<HolidayPeriod, 'zone' | 'provisional'> }
  | { type: 'remove-holiday-days'; from: LocalDate; to: LocalDate }
  | { type: 'move-holiday'; name: string; currentFrom: LocalDate; from: LocalDate; to: LocalDate }
  | { type: 'set-school-year'; schoolYear: SchoolYear };

function assertRange(from: LocalDate, to: LocalDate, what: string): void {
  if (!isLocalDate(from) || !isLocalDate(to) || from > to) {
    throw new DomainError('INVALID_CALENDAR_ADJUSTMENT', `${what} : la période du ${String(from)} au ${String(to)} n'est pas valide.`);
  }
}

function applyAdjustment(calendar: SchoolCalendar, adjustment: CalendarAdjustment): SchoolCalendar {
  switch (adjustment.type) {
    case 'add-holiday': {
      const { holiday } = adjustment;
      assertRange(holiday.from, holiday.to, `Ajout de « ${holiday.name} »`);
      return { ...calendar, holidays: [...calendar.holidays, { ...holiday, zone: calendar.zone }] };
    }
    case 'remove-holiday-days': {
      const { from, to } = adjustment;
      assertRange(from, to, 'Suppression de jours de vacances');
      const holidays = calendar.holidays.flatMap((period): HolidayPeriod[] => {
        if (period.to < from || period.from > to) return [period];
        const kept: HolidayPeriod[] = [];
        if (period.from < from) kept.push({ ...period, to: addDays(from, -1) });
        if (period.to > to) kept.push({ ...period, from: addDays(to, 1) });
        return kept;
      });
      return { ...calendar, holidays };
    }
    case 'move-holiday': {
      const { name, currentFrom, from, to } = adjustment;
      assertRange(from, to, `Déplacement de « ${name} »`);
      const index = calendar.holidays.findIndex((p) => p.name === name && p.from === currentFrom);
      if (index < 0) {
        throw new DomainError(
          'HOLIDAY_NOT_FOUND',
          `Aucune période « ${name} » ne commence le ${currentFrom} dans le calendrier de la zone ${calendar.zone}.`,
          'not_found',
        );
      }
      const holidays = calendar.holidays.map((period, i) => {
        if (i !== index) return period;
        const { provisional: _provisional, ...rest } = period;
        return { ...rest, from, to };
      });
      return { ...calendar, holidays };
    }
    case 'set-school-year': {
      const { schoolYear } = adjustment;
      assertRange(schoolYear.start, schoolYear.end, `Année scolaire ${schoolYear.id}`);
      const others = calendar.schoolYears.filter((year) => year.id !== schoolYear.id);
      return { ...calendar, schoolYears: [...others, { ...schoolYear }] };
    }
  }
}

/** The calendar with the commune's adjustments applied in order (the base is not modified). */
export function adjustCalendar(base: SchoolCalendar, adjustments: readonly CalendarAdjustment[]): SchoolCalendar {
  const adjusted = adjustments.reduce(applyAdjustment, {
    ...base,
    schoolYears: [...base.schoolYears],
    holidays: [...base.holidays],
  });
  return {
    ...adjusted,
    schoolYears: [...adjusted.schoolYears].sort((a, b) => a.start.localeCompare(b.start)),
    holidays: [...adjusted.holidays].sort((a, b) => a.from.localeCompare(b.from)),
  };
}

// ---------------------------------------------------------------------------------------------------
// Closures and whether an activity runs
// ---------------------------------------------------------------------------------------------------

/** The closures that close `activity` on `date` (its own, or its facility's). */
export function closuresOn(activity: Activity, date: LocalDate, closures: readonly Closure[]): Closure[] {
  return closures.filter((closure) => {
    if (!isWithin(date, closure.from, closure.to)) return false;
    return isActivityScope(closure.scope)
      ? closure.scope.activityId === activity.activityId
      : closure.scope.facilityId === activity.facilityId;
  });
}

/** Why an activity does not run on a day. */
export type NotRunningReason =
  | 'public-holiday' // F
  | 'weekend'
  | 'petites-vacances' // P: the activity does not run in the short holidays
  | 'grandes-vacances' // G: … nor in the summer holidays
  | 'wednesday' // a Wednesday outside the holidays, and the activity has no Wednesdays
  | 'school-day' // a school day, and the activity runs only on Wednesdays or in the holidays
  | 'weekday' // excluded by the activity's `weekdays` restriction
  | 'closed'; // a closure of the activity or its facility

/** The code a planning-grid cell shows for a day without service (DOMAIN.md legend), or null. */
export type GridCode = 'F' | 'P' | 'G' | 'Fermeture';

export type RunsOn =
  | { runs: true; dayKind: DayKind; holiday?: HolidayPeriod }
  | {
      runs: false;
      dayKind: DayKind;
      reason: NotRunningReason;
      gridCode: GridCode | null;
      holiday?: HolidayPeriod;
      closure?: Closure;
    };

const RUNS_BY_KIND: Record<Exclude<DayKind, 'public-holiday' | 'weekend'>, keyof Activity['periods']> = {
  'school-day': 'schoolDays',
  wednesday: 'wednesdays',
  'petites-vacances': 'petitesVacances',
  'grandes-vacances': 'grandesVacances',
};

/**
 * Whether `activity` runs on `date`, and if not, why (with the grid code: F, P, G, Fermeture). Order:
 * public holiday, weekend, the activity's periods, its weekday restriction, then closures — so a
 * closure during holidays the activity does not run in shows as P/G, not Fermeture.
 */
export function runsOn(
  activity: Activity,
  date: LocalDate,
  calendar: SchoolCalendar,
  options: { closures?: readonly Closure[]; isPublicHoliday?: PublicHolidayLookup } = {},
): RunsOn {
  const kind = dayKind(date, calendar, options.isPublicHoliday ?? isPublicHoliday);
  const holiday = holidayOn(date, calendar);
  const withHoliday = holiday ? { holiday } : {};
  if (kind === 'public-holiday') return { runs: false, dayKind: kind, reason: kind, gridCode: 'F', ...withHoliday };
  if (kind === 'weekend') return { runs: false, dayKind: kind, reason: kind, gridCode: null, ...withHoliday };
  if (!activity.periods[RUNS_BY_KIND[kind]]) {
    const gridCode = kind === 'petites-vacances' ? 'P' : kind === 'grandes-vacances' ? 'G' : null;
    return { runs: false, dayKind: kind, reason: kind, gridCode, ...withHoliday };
  }
  const { weekdays } = activity.periods;
  if (weekdays && weekdays.length > 0 && !weekdays.includes(isoWeekday(date))) {
    return { runs: false, dayKind: kind, reason: 'weekday', gridCode: null, ...withHoliday };
  }
  const [closure] = closuresOn(activity, date, options.closures ?? []);
  if (closure) {
    return { runs: false, dayKind: kind, reason: 'closed', gridCode: 'Fermeture', closure, ...withHoliday };
  }
  return { runs: true, dayKind: kind, ...withHoliday };
}
