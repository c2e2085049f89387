/**
 * French public holidays ("jours fériés"), from the maintained package @socialgouv/jours-feries
 * (the 11 national days; with `alsaceMoselle`, also Vendredi saint and Saint Étienne, the two extra
 * days of the Bas-Rhin, Haut-Rhin and Moselle).
 *
 * The package builds each day with `new Date(year, monthIndex, day)` — midnight in the *process's*
 * time zone, which is UTC midnight only when the process runs in UTC — and the Easter-based days by
 * adding 24-hour steps, which lands an hour off when a DST change lies in between. So a day is read
 * from the Date's local calendar fields after moving it by 12 hours (any offset within ±12 h of local
 * midnight gives the right day), never from `toISOString()`. A test runs this under several TZs.
 *
 * Results are cached per year (and Alsace-Moselle flag): the list is small and looked up often.
 */
import getJoursFeries from '@socialgouv/jours-feries';

import type { LocalDate } from '../planning.types';
import { localDate, parts } from './local-date';

export type PublicHolidayOptions = {
  /** Alsace-Moselle: adds Vendredi saint and Saint Étienne (26 December). */
  alsaceMoselle?: boolean;
};

/** LocalDate → French name, e.g. '2027-03-29' → 'Lundi de Pâques'. */
export type PublicHolidayMap = ReadonlyMap<LocalDate, string>;

const HALF_DAY_MS = 12 * 3_600_000;

function dayOfPackageDate(date: Date): LocalDate {
  // Local midnight ± up to 12 h, plus 12 h, falls inside the intended local day.
  const shifted = new Date(date.getTime() + HALF_DAY_MS);
  return localDate(shifted.getFullYear(), shifted.getMonth() + 1, shifted.getDate());
}

/** The public holidays of a year, computed afresh (no cache). */
export function computePublicHolidays(year: number, options: PublicHolidayOptions = {}): PublicHolidayMap {
  const byName = getJoursFeries(year, { alsace: options.alsaceMoselle === true });
  const map = new Map<LocalDate, string>();
  for (const [name, date] of Object.entries(byName)) map.set(dayOfPackageDate(date), name);
  return map;
}

const cache = new Map<string, PublicHolidayMap>();

/** The public holidays of a year (cached). */
export function publicHolidaysOf(year: number, options: PublicHolidayOptions = {}): PublicHolidayMap {
  const key = `${year}:${options.alsaceMoselle === true ? 'alsace' : 'national'}`;
  let map = cache.get(key);
  if (!map) {
    map = computePublicHolidays(year, options);
    cache.set(key, map);
  }
  return map;
}

/** The holiday's French name, or undefined when `date` is not a public holiday. */
export function publicHolidayName(date: LocalDate, options: PublicHolidayOptions = {}): string | undefined {
  return publicHolidaysOf(parts(date).year, options).get(date);
}

export function isPublicHoliday(date: LocalDate, options: PublicHolidayOptions = {}): boolean {
  return publicHolidayName(date, options) !== undefined;
}

/** Forget the cached years (tests that change the process time zone use it). */
export function clearPublicHolidayCache(): void {
  cache.clear();
}
