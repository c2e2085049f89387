/**
 * Arithmetic on calendar days (`LocalDate`, `YYYY-MM-DD`) and their conversion to instants in
 * Europe/Paris. Pure: no clock, no process time zone (a `LocalDate` is handled as a UTC-midnight Date
 * internally, so the machine's time zone never shifts a day; Paris wall-clock times go through
 * @date-fns/tz).
 *
 * DST: a wall-clock time that does not exist in Paris (02:30 on the last Sunday of March) moves forward
 * by one hour (03:30 CEST); an ambiguous one (02:30 on the last Sunday of October) is the second,
 * standard-time occurrence (02:30 CET). Deadlines at such hours are not a use case, but the result is
 * defined.
 */
import { TZDate } from '@date-fns/tz';

import { type Instant, isLocalDate, isLocalTime, type LocalDate, type LocalTime, type Weekday } from '../planning.types';

export const PARIS = 'Europe/Paris';

const MS_PER_DAY = 86_400_000;

/** Throws on anything that is not a real `YYYY-MM-DD` day: domain inputs are validated at the edge. */
function assertLocalDate(date: LocalDate): void {
  if (!isLocalDate(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${String(date)}`);
}

function toUtcMidnight(date: LocalDate): Date {
  assertLocalDate(date);
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function fromUtcMidnight(date: Date): LocalDate {
  const y = String(date.getUTCFullYear()).padStart(4, '0');
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function parts(date: LocalDate): { year: number; month: number; day: number } {
  assertLocalDate(date);
  const [year, month, day] = date.split('-').map(Number);
  return { year, month, day };
}

export function localDate(year: number, month: number, day: number): LocalDate {
  return fromUtcMidnight(new Date(Date.UTC(year, month - 1, day)));
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMidnight(new Date(toUtcMidnight(date).getTime() + days * MS_PER_DAY));
}

/** Number of days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMidnight(to).getTime() - toUtcMidnight(from).getTime()) / MS_PER_DAY);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): Weekday {
  const js = toUtcMidnight(date).getUTCDay(); // 0 = Sunday
  return (js === 0 ? 7 : js) as Weekday;
}

export function isWeekend(date: LocalDate): boolean {
  return isoWeekday(date) >= 6;
}

/** The Monday of the ISO week (Monday–Sunday) of `date`. */
export function mondayOf(date: LocalDate): LocalDate {
  return addDays(date, 1 - isoWeekday(date));
}

export function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `from <= date <= to` (string comparison is chronological for `YYYY-MM-DD`). */
export function isWithin(date: LocalDate, from: LocalDate, to: LocalDate): boolean {
  return from <= date && date <= to;
}

/** Every day from `from` to `to`, both included. */
export function eachDay(from: LocalDate, to: LocalDate): LocalDate[] {
  const days: LocalDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

function parseTime(time: LocalTime): { hours: number; minutes: number } {
  if (!isLocalTime(time)) throw new RangeError(`Not a time of day (HH:mm): ${String(time)}`);
  const [hours, minutes] = time.split(':').map(Number);
  return { hours, minutes };
}

/** The instant of `date` at `time`, wall-clock time in Paris, as a UTC ISO string. */
export function parisInstant(date: LocalDate, time: LocalTime): Instant {
  const { year, month, day } = parts(date);
  const { hours, minutes } = parseTime(time);
  return new Date(new TZDate(year, month - 1, day, hours, minutes, PARIS).getTime()).toISOString();
}

/** 00:00 in Paris on `date` (the start of the day), as a UTC ISO string. */
export function startOfParisDay(date: LocalDate): Instant {
  return parisInstant(date, '00:00');
}

/** The Paris calendar day an instant falls on. */
export function parisDateOf(instant: Instant): LocalDate {
  const at = new TZDate(Date.parse(instant), PARIS);
  return localDate(at.getFullYear(), at.getMonth() + 1, at.getDate());
}

/** The Paris wall-clock time (`HH:mm`) of an instant. */
export function parisTimeOf(instant: Instant): LocalTime {
  const at = new TZDate(Date.parse(instant), PARIS);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

/** Milliseconds since the epoch, rejecting strings that are not instants. */
export function instantMs(instant: Instant): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO instant: ${String(instant)}`);
  return ms;
}
