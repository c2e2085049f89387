/**
 * The checks every booking (and cancellation) request goes through before anything else: the server
 * enforces them, whatever the browser sent. Each refusal has a stable `code` (clients switch on it) and
 * a French `message` that names the rule and the date or deadline concerned.
 *
 * checkBooking, in this order (the first failure is returned):
 *   NOT_ENROLLED             the child is not enrolled in the activity for the day's school year
 *   OUTSIDE_SCHOOL_YEAR      the day is in no school year of the calendar
 *   ACTIVITY_NOT_RUNNING     weekend, public holiday, a period or weekday the activity does not run on
 *   CLOSED                   a closure of the activity or its facility (with its reason)
 *   BOOKING_WINDOW_NOT_OPEN  the family's booking window has not opened yet (or there is none for it)
 *   BOOKING_WINDOW_CLOSED    the family's booking window has closed
 *   DEADLINE_PASSED          the booking deadline is over
 *
 * Booking windows. Among the activity's windows whose `appliesTo` covers the day (a window without
 * `appliesTo` covers every day), take those of the family's category, or else those of '*'; among them
 * the most specific: one with `appliesTo` before one without, the shortest `appliesTo` first, then the
 * earliest opening. No window covering the day = no window constraint. Windows covering the day but none
 * for the family's category nor '*' = not open to this family (BOOKING_WINDOW_NOT_OPEN).
 *
 * checkCancellation: CANCELLATION_DEADLINE_PASSED once the activity's cancellation deadline is over;
 * when the activity has none (`cancellationDeadline: null`), a day can be cancelled until it begins
 * (00:00 Paris) — after that, the parent declares an absence instead.
 */
import { instantMs, startOfParisDay } from '../calendar/local-date';
import { publicHolidayName } from '../calendar/public-holidays';
import { findSchoolYear, holidayOn, type NotRunningReason, type PublicHolidayLookup, runsOn } from '../calendar/school-calendar';
import {
  type Activity,
  ANY_CATEGORY,
  type BookingWindow,
  type Closure,
  type Instant,
  isFacilityScope,
  type LocalDate,
  type SchoolCalendar,
} from '../planning.types';
import { deadlineFor, describeDeadlineRule } from './deadline.rules';
import { formatDateFr, formatInstantFr, formatPeriodFr } from './format-fr';

export const BOOKING_REFUSAL_CODES = [
  'NOT_ENROLLED',
  'OUTSIDE_SCHOOL_YEAR',
  'ACTIVITY_NOT_RUNNING',
  'CLOSED',
  'BOOKING_WINDOW_NOT_OPEN',
  'BOOKING_WINDOW_CLOSED',
  'DEADLINE_PASSED',
] as const;
export type BookingRefusalCode = (typeof BOOKING_REFUSAL_CODES)[number];

export type CancellationRefusalCode = 'CANCELLATION_DEADLINE_PASSED';

export type Refusal<Code extends string> = {
  ok: false;
  code: Code;
  /** French, shown as is to the parent or the staff member */
  message: string;
  /** data for clients: the deadline, the window, the closure, … */
  details?: Record<string, unknown>;
};

export type BookingCheck = { ok: true; deadline: Instant; window?: BookingWindow } | Refusal<BookingRefusalCode>;

export type CancellationCheck = { ok: true; deadline: Instant } | Refusal<CancellationRefusalCode>;

export type BookingCheckInput = {
  activity: Activity;
  date: LocalDate;
  /** when the request is decided (from the command's metadata, never the clock) */
  now: Instant;
  /** whether the child is enrolled in this activity for the school year of `date` */
  enrolled: boolean;
  /** the family's category for booking windows: 'resident', 'non-resident', … */
  familyCategory: string;
  calendar: SchoolCalendar;
  closures: readonly Closure[];
  isPublicHoliday: PublicHolidayLookup;
};

export type CancellationCheckInput = {
  activity: Activity;
  date: LocalDate;
  now: Instant;
  isPublicHoliday: PublicHolidayLookup;
};

function refuse<Code extends string>(code: Code, message: string, details?: Record<string, unknown>): Refusal<Code> {
  return details ? { ok: false, code, message, details } : { ok: false, code, message };
}

// ---------------------------------------------------------------------------------------------------
// Booking windows
// ---------------------------------------------------------------------------------------------------

function covers(window: BookingWindow, date: LocalDate): boolean {
  return !window.appliesTo || (window.appliesTo.from <= date && date <= window.appliesTo.to);
}

function span(window: BookingWindow): number {
  if (!window.appliesTo) return Number.POSITIVE_INFINITY;
  return Date.parse(window.appliesTo.to) - Date.parse(window.appliesTo.from);
}

export type WindowSelection =
  | { kind: 'none' } // no window governs the day: always open
  | { kind: 'not-for-category' } // windows govern the day, none for this family
  | { kind: 'window'; window: BookingWindow };

/** The booking window that governs `date` for a family of `category` (see the header). */
export function selectBookingWindow(windows: readonly BookingWindow[], date: LocalDate, category: string): WindowSelection {
  const covering = windows.filter((window) => covers(window, date));
  if (covering.length === 0) return { kind: 'none' };
  const own = covering.filter((window) => window.category === category);
  const candidates = own.length > 0 ? own : covering.filter((window) => window.category === ANY_CATEGORY);
  if (candidates.length === 0) return { kind: 'not-for-category' };
  const [window] = [...candidates].sort((a, b) => span(a) - span(b) || instantMs(a.opensAt) - instantMs(b.opensAt));
  return { kind: 'window', window };
}

const CATEGORY_LABELS_FR: Record<string, string> = {
  resident: 'familles résidentes',
  'non-resident': 'familles non résidentes',
  [ANY_CATEGORY]: 'toutes les familles',
};

function windowLabelFr(window: BookingWindow): string {
  const who = CATEGORY_LABELS_FR[window.category] ?? `catégorie « ${window.category} »`;
  return window.label ? `${window.label}, ${who}` : who;
}

// ---------------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------------

function notRunningMessage(activity: Activity, date: LocalDate, reason: NotRunningReason, calendar: SchoolCalendar): string {
  const day = formatDateFr(date);
  const name = `« ${activity.name} »`;
  const holiday = holidayOn(date, calendar);
  switch (reason) {
    case 'public-holiday': {
      const holidayName = publicHolidayName(date);
      return `Le ${day} est un jour férié${holidayName ? ` (${holidayName})` : ''} : l'activité ${name} n'a pas lieu.`;
    }
    case 'weekend':
      return `Le ${day} est un week-end : l'activité ${name} n'a pas lieu.`;
    case 'petites-vacances':
      return `Le ${day} est pendant les ${holiday?.name ?? 'petites vacances'} : l'activité ${name} ne fonctionne pas pendant les petites vacances.`;
    case 'grandes-vacances':
      return `Le ${day} est pendant les ${holiday?.name ?? 'grandes vacances'} : l'activité ${name} ne fonctionne pas pendant les grandes vacances.`;
    case 'wednesday':
      return `L'activité ${name} ne fonctionne pas le mercredi en période scolaire (${day}).`;
    case 'school-day':
      return `L'activité ${name} ne fonctionne pas les jours d'école (${day}).`;
    case 'weekday':
      return `L'activité ${name} ne fonctionne pas ce jour de la semaine (${day}).`;
    case 'closed':
      // handled by CLOSED; kept for exhaustiveness
      return `L'activité ${name} est fermée le ${day}.`;
  }
}

// ---------------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------------

/** Decides whether a day can be booked now, or why not (see the header for the order). */
export function checkBooking(input: BookingCheckInput): BookingCheck {
  const { activity, date, now, calendar, closures, isPublicHoliday } = input;
  const day = formatDateFr(date);
  const schoolYear = findSchoolYear(date, calendar);

  if (!input.enrolled) {
    const year = schoolYear ? ` pour l'année scolaire ${schoolYear.id}` : '';
    return refuse(
      'NOT_ENROLLED',
      `Votre enfant n'est pas inscrit à l'activité « ${activity.name} »${year} : la réservation du ${day} n'est pas possible. Faites d'abord une demande d'inscription.`,
      { activityId: activity.activityId, schoolYear: schoolYear?.id },
    );
  }

  if (!schoolYear) {
    const years = calendar.schoolYears.map((year) => year.id).join(', ');
    return refuse(
      'OUTSIDE_SCHOOL_YEAR',
      `Le ${day} est en dehors des années scolaires ouvertes aux réservations${years ? ` (${years})` : ''}.`,
      { date },
    );
  }

  const running = runsOn(activity, date, calendar, { closures, isPublicHoliday });
  if (!running.runs && running.reason !== 'closed') {
    return refuse('ACTIVITY_NOT_RUNNING', notRunningMessage(activity, date, running.reason, calendar), {
      reason: running.reason,
      dayKind: running.dayKind,
      ...(running.holiday ? { holiday: running.holiday.name } : {}),
    });
  }
  if (!running.runs && running.closure) {
    const { closure } = running;
    const where = isFacilityScope(closure.scope) ? 'La structure' : `L'activité « ${activity.name} »`;
    return refuse(
      'CLOSED',
      `${where} est fermée ${formatPeriodFr(closure.from, closure.to)} (${closure.reason}) : la réservation du ${day} n'est pas possible.`,
      { closureId: closure.closureId, reason: closure.reason, from: closure.from, to: closure.to },
    );
  }

  const nowMs = instantMs(now);
  const selection = selectBookingWindow(activity.bookingWindows, date, input.familyCategory);
  if (selection.kind === 'not-for-category') {
    return refuse(
      'BOOKING_WINDOW_NOT_OPEN',
      `Les réservations de l'activité « ${activity.name} » pour le ${day} ne sont pas ouvertes aux familles de votre catégorie.`,
      { familyCategory: input.familyCategory },
    );
  }
  const window = selection.kind === 'window' ? selection.window : undefined;
  if (window && nowMs < instantMs(window.opensAt)) {
    return refuse(
      'BOOKING_WINDOW_NOT_OPEN',
      `Les réservations de l'activité « ${activity.name} » pour le ${day} ne sont pas encore ouvertes (${windowLabelFr(window)}) : elles ouvrent le ${formatInstantFr(window.opensAt)}.`,
      { opensAt: window.opensAt, closesAt: window.closesAt, category: window.category },
    );
  }
  if (window && nowMs >= instantMs(window.closesAt)) {
    return refuse(
      'BOOKING_WINDOW_CLOSED',
      `Les réservations de l'activité « ${activity.name} » pour le ${day} sont closes (${windowLabelFr(window)}) : elles étaient ouvertes du ${formatInstantFr(window.opensAt)} au ${formatInstantFr(window.closesAt)}.`,
      { opensAt: window.opensAt, closesAt: window.closesAt, category: window.category },
    );
  }

  const deadline = deadlineFor(activity.bookingDeadline, date, { isPublicHoliday });
  if (nowMs > instantMs(deadline)) {
    return refuse(
      'DEADLINE_PASSED',
      `Les réservations pour le ${day} étaient possibles jusqu'au ${formatInstantFr(deadline)}. (Délai de réservation de l'activité « ${activity.name} » : ${describeDeadlineRule(activity.bookingDeadline)}.)`,
      { deadline, rule: activity.bookingDeadline },
    );
  }

  return window ? { ok: true, deadline, window } : { ok: true, deadline };
}

/** The cancellation deadline of a day: the activity's rule, or the start of the day when it has none. */
export function cancellationDeadlineFor(activity: Activity, date: LocalDate, isPublicHoliday: PublicHolidayLookup): Instant {
  return activity.cancellationDeadline ? deadlineFor(activity.cancellationDeadline, date, { isPublicHoliday }) : startOfParisDay(date);
}

/** Decides whether a booked day can still be cancelled now. */
export function checkCancellation(input: CancellationCheckInput): CancellationCheck {
  const { activity, date, now, isPublicHoliday } = input;
  const deadline = cancellationDeadlineFor(activity, date, isPublicHoliday);
  if (instantMs(now) > instantMs(deadline)) {
    const rule = activity.cancellationDeadline
      ? `Délai d'annulation de l'activité « ${activity.name} » : ${describeDeadlineRule(activity.cancellationDeadline)}.`
      : `L'activité « ${activity.name} » peut être annulée jusqu'au début de la journée réservée.`;
    return refuse(
      'CANCELLATION_DEADLINE_PASSED',
      `Les annulations pour le ${formatDateFr(date)} étaient possibles jusqu'au ${formatInstantFr(deadline)}. (${rule}) Vous pouvez signaler une absence.`,
      { deadline, rule: activity.cancellationDeadline },
    );
  }
  return { ok: true, deadline };
}
