/**
 * French wording of dates and instants for the messages parents and staff read, in Europe/Paris.
 * Written out by hand (no Intl locale data), so the output is the same on every machine:
 *   formatDateFr('2026-04-15')                 → « mercredi 15 avril 2026 »
 *   formatDateFr('2026-04-01')                 → « mercredi 1er avril 2026 »
 *   formatInstantFr('2026-04-09T10:00:00.000Z') → « jeudi 9 avril 2026 à 12:00 »
 */
import { isoWeekday, parisDateOf, parisTimeOf, parts } from '../calendar/local-date';
import { type Instant, type LocalDate, WEEKDAY_NAMES_FR } from '../planning.types';

export const MONTH_NAMES_FR = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
] as const;

/** « 15 avril 2026 », « 1er mai 2027 » */
export function formatDayMonthYearFr(date: LocalDate): string {
  const { year, month, day } = parts(date);
  return `${day === 1 ? '1er' : String(day)} ${MONTH_NAMES_FR[month - 1]} ${year}`;
}

/** « mercredi 15 avril 2026 » */
export function formatDateFr(date: LocalDate): string {
  return `${WEEKDAY_NAMES_FR[isoWeekday(date)]} ${formatDayMonthYearFr(date)}`;
}

/** « jeudi 9 avril 2026 à 12:00 » (Paris wall-clock time) */
export function formatInstantFr(instant: Instant): string {
  return `${formatDateFr(parisDateOf(instant))} à ${parisTimeOf(instant)}`;
}

/** « du samedi 17 octobre 2026 au dimanche 1er novembre 2026 », or « le lundi 2 novembre 2026 » for one day */
export function formatPeriodFr(from: LocalDate, to: LocalDate): string {
  return from === to ? `le ${formatDateFr(from)}` : `du ${formatDateFr(from)} au ${formatDateFr(to)}`;
}
