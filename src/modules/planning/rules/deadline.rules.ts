/**
 * Booking and cancellation deadlines: the instant until which a day can be booked (or cancelled),
 * computed from the activity's `DeadlineRule` and the booked day. Every wall-clock time is Paris time
 * and the result is a UTC instant; days are counted on the Paris calendar, so DST days (23 h or 25 h
 * long) change nothing but the UTC offset of the answer.
 *
 * The rule forms, with the examples of DOMAIN.md (see planning.types.ts):
 * - days-before: "J-n à hh:mm", counting or skipping weekends, public holidays and chosen weekdays:
 *   garderie "la veille avant 18:00" = J-1 18:00; "J-2, week-end non compté, 12:00" = Monday's booking
 *   closes Thursday 12:00. J-0 is the booked day itself (whatever is skipped). With days ≥ 1 the deadline
 *   day is the n-th counted (not skipped) day before the booked day.
 * - weekday-previous-week: canteen "le mardi 23:59 pour la semaine suivante" = every day of a week closes
 *   on the Tuesday of the week before; the Wednesday leisure centre "le jeudi 12:00 de la semaine
 *   précédente".
 * - previous-weekday: "le mardi précédent à 23:59" = the last Tuesday strictly before the booked day.
 * - weekday-weeks-before: "<jour> deux semaines avant".
 * - day-of-previous-month: "le 20 du mois précédent" (clamped to the month's last day).
 * - hours-before: "périscolaire 72 h avant" = 72 real hours before 00:00 (Paris) of the booked day.
 *
 * A day can be booked while `now <= deadline` (the deadline instant itself is still in time).
 *
 * INVARIANT (property-tested): for every valid rule and day, the deadline is at or before the start of
 * the booked day (00:00 Paris) — except J-0 rules, whose deadline lies within the booked day. And the
 * deadline never moves earlier when the booked day moves later.
 */
import { DomainError } from '../../../platform/domain/domain-error';
import {
  addDays,
  instantMs,
  isoWeekday,
  isWeekend,
  lastDayOfMonth,
  localDate,
  mondayOf,
  parisInstant,
  parts,
  startOfParisDay,
} from '../calendar/local-date';
import {
  type DaysBeforeDeadline,
  type DeadlineRule,
  type Instant,
  isLocalTime,
  isWeekday,
  type LocalDate,
  WEEKDAY_NAMES_FR,
} from '../planning.types';

export type DeadlineContext = {
  /** Used by 'days-before' rules that skip public holidays. */
  isPublicHoliday(date: LocalDate): boolean;
};

/** Bounds that keep a commune's configuration sensible (and every loop finite). */
export const DEADLINE_LIMITS = { maxDays: 366, maxWeeks: 53, maxHours: 24 * 366 } as const;

// ---------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------

function isIntegerBetween(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** What is wrong with a rule, in French (empty when it is valid). */
export function deadlineRuleProblems(rule: DeadlineRule): string[] {
  const problems: string[] = [];
  if ('time' in rule && !isLocalTime(rule.time)) problems.push(`L'heure « ${String(rule.time)} » n'est pas au format HH:mm.`);
  if ('weekday' in rule && !isWeekday(rule.weekday))
    problems.push('Le jour de la semaine doit être compris entre 1 (lundi) et 7 (dimanche).');
  switch (rule.kind) {
    case 'days-before': {
      if (!isIntegerBetween(rule.days, 0, DEADLINE_LIMITS.maxDays)) {
        problems.push(`Le nombre de jours (J-n) doit être un entier entre 0 et ${DEADLINE_LIMITS.maxDays}.`);
      }
      if (!rule.skip.weekdays.every(isWeekday)) problems.push('Les jours non comptés doivent être compris entre 1 et 7.');
      const skipped = new Set<number>([...rule.skip.weekdays, ...(rule.skip.weekends ? [6, 7] : [])]);
      if (skipped.size >= 7) problems.push('Au moins un jour de la semaine doit être compté.');
      break;
    }
    case 'weekday-weeks-before':
      if (!isIntegerBetween(rule.weeks, 1, DEADLINE_LIMITS.maxWeeks)) {
        problems.push(`Le nombre de semaines doit être un entier entre 1 et ${DEADLINE_LIMITS.maxWeeks}.`);
      }
      break;
    case 'day-of-previous-month':
      if (!isIntegerBetween(rule.day, 1, 31)) problems.push('Le jour du mois doit être compris entre 1 et 31.');
      break;
    case 'hours-before':
      if (!isIntegerBetween(rule.hours, 0, DEADLINE_LIMITS.maxHours)) {
        problems.push(`Le nombre d'heures doit être un entier entre 0 et ${DEADLINE_LIMITS.maxHours}.`);
      }
      break;
    case 'weekday-previous-week':
    case 'previous-weekday':
      break;
  }
  return problems;
}

function assertValid(rule: DeadlineRule): void {
  const problems = deadlineRuleProblems(rule);
  if (problems.length > 0) {
    throw new DomainError('INVALID_DEADLINE_RULE', `Règle de délai invalide : ${problems.join(' ')}`, 'invalid', {
      rule,
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Computation
// ---------------------------------------------------------------------------------------------------

function isSkipped(date: LocalDate, skip: DaysBeforeDeadline['skip'], ctx: DeadlineContext): boolean {
  if (skip.weekends && isWeekend(date)) return true;
  if (skip.weekdays.includes(isoWeekday(date))) return true;
  return skip.publicHolidays && ctx.isPublicHoliday(date);
}

/** The n-th counted day before `bookedDay` (or the day itself for J-0). */
function daysBeforeDay(rule: DaysBeforeDeadline, bookedDay: LocalDate, ctx: DeadlineContext): LocalDate {
  let day = bookedDay;
  let counted = 0;
  // Each week has at least one counted weekday (validated) and public holidays are rare, so this ends
  // long before the bound; the bound only turns a broken holiday lookup into an error, not a hang.
  for (let steps = 0; counted < rule.days; steps++) {
    if (steps > 10 * (DEADLINE_LIMITS.maxDays + 7)) {
      throw new Error(`No counted day found before ${bookedDay} for ${JSON.stringify(rule)}`);
    }
    day = addDays(day, -1);
    if (!isSkipped(day, rule.skip, ctx)) counted++;
  }
  return day;
}

/** The given ISO weekday in the ISO week `weeks` weeks before the booked day's week. */
function weekdayOfWeekBefore(bookedDay: LocalDate, weekday: number, weeks: number): LocalDate {
  return addDays(mondayOf(bookedDay), -7 * weeks + (weekday - 1));
}

/**
 * The deadline (a UTC instant) for booking — or cancelling — `bookedDay` under `rule`.
 * Throws a DomainError INVALID_DEADLINE_RULE for a rule that breaks `deadlineRuleProblems`.
 */
export function deadlineFor(rule: DeadlineRule, bookedDay: LocalDate, ctx: DeadlineContext): Instant {
  assertValid(rule);
  switch (rule.kind) {
    case 'days-before':
      return parisInstant(daysBeforeDay(rule, bookedDay, ctx), rule.time);
    case 'weekday-previous-week':
      return parisInstant(weekdayOfWeekBefore(bookedDay, rule.weekday, 1), rule.time);
    case 'weekday-weeks-before':
      return parisInstant(weekdayOfWeekBefore(bookedDay, rule.weekday, rule.weeks), rule.time);
    case 'previous-weekday': {
      const back = (isoWeekday(bookedDay) - rule.weekday + 7) % 7 || 7; // 1..7 days back
      return parisInstant(addDays(bookedDay, -back), rule.time);
    }
    case 'day-of-previous-month': {
      const { year, month } = parts(bookedDay);
      const [y, m] = month === 1 ? [year - 1, 12] : [year, month - 1];
      return parisInstant(localDate(y, m, Math.min(rule.day, lastDayOfMonth(y, m))), rule.time);
    }
    case 'hours-before':
      return new Date(instantMs(startOfParisDay(bookedDay)) - rule.hours * 3_600_000).toISOString();
  }
}

// ---------------------------------------------------------------------------------------------------
// Wording
// ---------------------------------------------------------------------------------------------------

const NUMBER_WORDS_FR: Record<number, string> = { 2: 'deux', 3: 'trois', 4: 'quatre' };

function skippedFr(skip: DaysBeforeDeadline['skip']): string {
  const parts: string[] = [];
  if (skip.weekends) parts.push('les week-ends');
  if (skip.publicHolidays) parts.push('les jours fériés');
  for (const weekday of [...skip.weekdays].sort()) parts.push(`les ${WEEKDAY_NAMES_FR[weekday]}s`);
  if (parts.length === 0) return '';
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} et ${parts[parts.length - 1]}`;
  return `, sans compter ${list}`;
}

/**
 * The rule in French, as parents read it, e.g. « J-2 à 12:00, sans compter les week-ends »,
 * « la veille à 18:00 », « le jeudi de la semaine précédente à 12:00 », « 72 h avant le jour réservé ».
 */
export function describeDeadlineRule(rule: DeadlineRule): string {
  switch (rule.kind) {
    case 'days-before': {
      const skipped = skippedFr(rule.skip);
      if (rule.days === 0) return `le jour même à ${rule.time}`;
      if (rule.days === 1 && skipped === '') return `la veille à ${rule.time}`;
      return `J-${rule.days} à ${rule.time}${skipped}`;
    }
    case 'weekday-previous-week':
      return `le ${WEEKDAY_NAMES_FR[rule.weekday]} de la semaine précédente à ${rule.time}`;
    case 'previous-weekday':
      return `le ${WEEKDAY_NAMES_FR[rule.weekday]} précédent à ${rule.time}`;
    case 'weekday-weeks-before': {
      if (rule.weeks === 1) return `le ${WEEKDAY_NAMES_FR[rule.weekday]} de la semaine précédente à ${rule.time}`;
      const weeks = NUMBER_WORDS_FR[rule.weeks] ?? String(rule.weeks);
      return `le ${WEEKDAY_NAMES_FR[rule.weekday]} ${weeks} semaines avant à ${rule.time}`;
    }
    case 'day-of-previous-month':
      return `le ${rule.day === 1 ? '1er' : rule.day} du mois précédent à ${rule.time}`;
    case 'hours-before':
      return `${rule.hours} h avant le jour réservé`;
  }
}
