/**
 * A "semaine type": the parent ticks, for each child and activity, the weekdays to book over a period;
 * this turns it into the items of one RequestReservations. Pure. Days on which the activity does not
 * run (weekends, public holidays, periods it does not run in, closures) are left out: they are not
 * refusals, there is simply no service (the planning grid shows them as F, P, G or Fermeture).
 */
import { DomainError } from '../../../platform/domain/domain-error';
import { daysBetween, eachDay, isoWeekday } from '../calendar/local-date';
import { runsOn } from '../calendar/school-calendar';
import { isLocalDate, type LocalDate, type Weekday } from '../planning.types';
import type { BookingFacts, RequestReservations, ReservationItem } from './family-planning.decider';

/** A typical week covers a school year at most. */
export const MAX_TYPICAL_WEEK_DAYS = 366;

export type TypicalWeek = {
  from: LocalDate;
  to: LocalDate;
  /** for each child and activity, the weekdays to book */
  lines: { childId: string; activityId: string; weekdays: Weekday[] }[];
};

/**
 * The items of the typical week, day by day then line by line. `requestIdFor` gives each item its id
 * (deterministic, so that a retried command asks for the same requests).
 */
export function expandTypicalWeek(
  week: TypicalWeek,
  facts: Pick<BookingFacts, 'calendar' | 'closures' | 'publicHolidays'> & Pick<RequestReservations, 'activities'>,
  requestIdFor: (childId: string, activityId: string, date: LocalDate) => string,
): ReservationItem[] {
  const { from, to } = week;
  if (!isLocalDate(from) || !isLocalDate(to)) {
    throw new DomainError('INVALID_DATE', 'Dates invalides : format attendu AAAA-MM-JJ.', 'invalid');
  }
  if (from > to) {
    throw new DomainError('REVERSED_PERIOD', 'La période se termine avant de commencer.', 'invalid', { field: 'to' });
  }
  if (daysBetween(from, to) + 1 > MAX_TYPICAL_WEEK_DAYS) {
    throw new DomainError('PERIOD_TOO_LONG', `Une semaine type s'applique sur ${MAX_TYPICAL_WEEK_DAYS} jours au plus.`, 'invalid', {
      max: MAX_TYPICAL_WEEK_DAYS,
    });
  }
  const holidays = new Set(facts.publicHolidays);
  const isPublicHoliday = (date: LocalDate) => holidays.has(date);
  const items: ReservationItem[] = [];
  for (const date of eachDay(from, to)) {
    const weekday = isoWeekday(date);
    for (const { childId, activityId, weekdays } of week.lines) {
      if (!weekdays.includes(weekday)) continue;
      const activity = Object.prototype.hasOwnProperty.call(facts.activities, activityId) ? facts.activities[activityId] : undefined;
      // An unknown activity is kept: the bulk decision refuses it with ACTIVITY_NOT_FOUND.
      if (activity && !runsOn(activity, date, facts.calendar, { closures: facts.closures, isPublicHoliday }).runs) continue;
      items.push({ requestId: requestIdFor(childId, activityId, date), childId, activityId, date });
    }
  }
  return items;
}
