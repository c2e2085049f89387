/**
 * Types shared by the planning context: facilities and activities, their booking rules, closures and
 * the school calendar. Pure types, constants and type guards: no framework, no I/O, no clock.
 *
 * Conventions (ARCHITECTURE.md): calendar dates are `YYYY-MM-DD` in Europe/Paris (`LocalDate`), instants
 * are UTC ISO strings (`Instant`), times of day are `HH:mm` in Europe/Paris (`LocalTime`), weekdays are
 * ISO numbers (1 = Monday … 7 = Sunday), money is integer cents.
 * Types are `type` aliases rather than interfaces so that read-model documents built from them are
 * assignable to `Record<string, unknown>`.
 */

/** A calendar day in Europe/Paris, `YYYY-MM-DD`. */
export type LocalDate = string;
/** A point in time, a UTC ISO string (`2026-04-09T10:00:00.000Z`). */
export type Instant = string;
/** A time of day in Europe/Paris, `HH:mm` (24 h, `00:00`…`23:59`). */
export type LocalTime = string;
/** ISO weekday: 1 = lundi, 2 = mardi, 3 = mercredi, 4 = jeudi, 5 = vendredi, 6 = samedi, 7 = dimanche. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** The three school holiday zones of metropolitan France. */
export const ZONES = ['A', 'B', 'C'] as const;
export type Zone = (typeof ZONES)[number];

export const WEEKDAY_NAMES_FR: Record<Weekday, string> = {
  1: 'lundi',
  2: 'mardi',
  3: 'mercredi',
  4: 'jeudi',
  5: 'vendredi',
  6: 'samedi',
  7: 'dimanche',
};

// ---------------------------------------------------------------------------------------------------
// Facilities and activities
// ---------------------------------------------------------------------------------------------------

/** A "Structure", e.g. "Accueil de Loisirs", "Garderie périscolaire". */
export type Facility = {
  facilityId: string;
  name: string;
  commune: string;
};

/**
 * Which days an activity runs on. A day runs when its kind (see `DayKind`) is switched on AND, when
 * `weekdays` is given, its ISO weekday is in the list. Public holidays and weekends never run (a
 * weekend activity is not a use case of the seed; `weekdays` may still restrict holidays to Mon–Fri).
 */
export type ActivityPeriods = {
  /** Mon, Tue, Thu, Fri outside school holidays ("jours scolaires") */
  schoolDays: boolean;
  /** Wednesdays outside school holidays ("mercredis") */
  wednesdays: boolean;
  /** short school holidays: Toussaint, Noël, hiver, printemps (and the Ascension bridge if any) */
  petitesVacances: boolean;
  /** summer holidays ("grandes vacances") */
  grandesVacances: boolean;
  /** optional restriction to some ISO weekdays (e.g. [1, 2, 4, 5] for a canteen closed on Wednesdays) */
  weekdays?: Weekday[];
};

/**
 * A bookable service ("Activité / prestation / unité"), e.g. "ALSH Mercredi après-midi",
 * "Garderie matin", "Restauration scolaire".
 */
export type Activity = {
  activityId: string;
  facilityId: string;
  name: string;
  /** the régie that invoices it, by reference (billing's régie id, e.g. 'regie-garderie-alsh') */
  regieId: string;
  periods: ActivityPeriods;
  /** places per day by default */
  placesPerDay: number;
  /** places for specific days, overriding `placesPerDay` */
  placeOverrides: Record<LocalDate, number>;
  /** 'automatic': a request within the rules is accepted at once; 'staff': it waits for a staff decision */
  validation: 'automatic' | 'staff';
  /** until when a day can be booked */
  bookingDeadline: DeadlineRule;
  /**
   * Until when a booked day can be cancelled. `null` = the commune set no cancellation deadline: a day
   * can be cancelled until the booked day begins (00:00 Europe/Paris); from then on it is no longer a
   * cancellation but an absence (DeclareAbsence, decided by `absencePolicy`).
   */
  cancellationDeadline: DeadlineRule | null;
  /** when bookings open and close, possibly per family category; empty = always open */
  bookingWindows: BookingWindow[];
  absencePolicy: AbsencePolicy;
};

// ---------------------------------------------------------------------------------------------------
// Deadlines ("délais de réservation / d'annulation"), all relative to the booked day
// ---------------------------------------------------------------------------------------------------

/**
 * "J-n à hh:mm" (J-0 = the booked day itself).
 * - "garderie la veille avant 18:00" → { days: 1, time: '18:00', skip: nothing }
 * - "J-2, week-end non compté, 12:00" → { days: 2, time: '12:00', skip: { weekends: true } }: Monday's
 *   booking closes Thursday 12:00 (Monday-1 = Friday, -2 = Thursday).
 * When a kind of day is skipped, only the other days are counted, and the deadline day itself is never
 * a skipped day (J-1 skipping weekends for a Monday is the Friday before). With nothing skipped, the
 * deadline is simply n calendar days before.
 */
export type DaysBeforeDeadline = {
  kind: 'days-before';
  days: number;
  time: LocalTime;
  skip: { weekends: boolean; publicHolidays: boolean; weekdays: Weekday[] };
};

/**
 * "<jour> de la semaine précédente à hh:mm": a fixed weekday of the ISO week (Mon–Sun) before the
 * booked day's week.
 * - "centre de loisirs du mercredi : le jeudi 12:00 de la semaine précédente" → { weekday: 4, time: '12:00' }
 * - "cantine : le mardi 23:59 pour la semaine suivante" → { weekday: 2, time: '23:59' }: every day
 *   Mon–Fri of a week closes on the Tuesday of the week before.
 */
export type WeekdayPreviousWeekDeadline = {
  kind: 'weekday-previous-week';
  weekday: Weekday;
  time: LocalTime;
};

/**
 * "le <jour> précédent à hh:mm": the last such weekday strictly before the booked day.
 * - "le mardi précédent à 23:59" → { weekday: 2, time: '23:59' }: a Wednesday closes the day before,
 *   a Tuesday closes the Tuesday one week before, a Monday the Tuesday six days before.
 */
export type PreviousWeekdayDeadline = {
  kind: 'previous-weekday';
  weekday: Weekday;
  time: LocalTime;
};

/**
 * "<jour> deux semaines avant à hh:mm": the given weekday of the ISO week `weeks` weeks before the
 * booked day's week (`weeks: 1` is the same as 'weekday-previous-week').
 * - "le lundi deux semaines avant à 08:00" → { weekday: 1, weeks: 2, time: '08:00' }
 */
export type WeekdayWeeksBeforeDeadline = {
  kind: 'weekday-weeks-before';
  weekday: Weekday;
  weeks: number;
  time: LocalTime;
};

/**
 * "le n du mois précédent à hh:mm": day `day` of the month before the booked day's month; when that
 * month is shorter (day 31 in February) its last day is used.
 * - "le 20 du mois précédent à 23:59" → { day: 20, time: '23:59' }: all of May closes 20 April 23:59.
 */
export type DayOfPreviousMonthDeadline = {
  kind: 'day-of-previous-month';
  day: number;
  time: LocalTime;
};

/**
 * "n heures avant": `hours` real hours (a UTC duration, so DST days are 23 or 25 h long) before the
 * start of the booked day at 00:00 Europe/Paris.
 * - "périscolaire 72 h avant" → { hours: 72 }: Friday's booking closes Tuesday 00:00 (Paris), i.e. the
 *   Monday until 23:59:59.
 */
export type HoursBeforeDeadline = {
  kind: 'hours-before';
  hours: number;
};

export type DeadlineRule =
  | DaysBeforeDeadline
  | WeekdayPreviousWeekDeadline
  | PreviousWeekdayDeadline
  | WeekdayWeeksBeforeDeadline
  | DayOfPreviousMonthDeadline
  | HoursBeforeDeadline;

export type DeadlineKind = DeadlineRule['kind'];

// ---------------------------------------------------------------------------------------------------
// Booking windows ("ouverture des inscriptions")
// ---------------------------------------------------------------------------------------------------

/** '*' = every family; communes use 'resident' / 'non-resident' and may add their own. */
export const ANY_CATEGORY = '*';

/**
 * A period during which bookings are accepted. Examples from DOMAIN.md:
 * - residents from 21 August 07:00, non-residents from 28 August 07:00 (two windows, one per category);
 * - holidays bookable from 6 weeks to 3 weeks before the first day: `appliesTo` = the holiday period,
 *   `opensAt` = its first day − 6 weeks, `closesAt` = − 3 weeks.
 * `opensAt` is included, `closesAt` excluded.
 */
export type BookingWindow = {
  /** the family category it applies to: '*', 'resident', 'non-resident', … */
  category: string;
  opensAt: Instant;
  closesAt: Instant;
  /** the booked days this window governs (both ends included); absent = every day */
  appliesTo?: { from: LocalDate; to: LocalDate };
  /** optional label shown in messages, e.g. "Inscriptions été 2027" */
  label?: string;
};

// ---------------------------------------------------------------------------------------------------
// Absences
// ---------------------------------------------------------------------------------------------------

export type AbsencePenalty = { kind: 'flat'; cents: number } | { kind: 'percent'; percent: number };

/**
 * "Un certificat médical sous 72 h (10 jours au plus) rend l'absence excusée ; une absence non signalée
 * avant 09:00 le jour même est facturée (pénalité forfaitaire, p. ex. 3,75 €, ou un pourcentage du prix)."
 */
export type AbsencePolicy = {
  /** a certificate provided at most this many hours after the start of the first absent day excuses it (72) */
  certificateWithinHours: number;
  /** a certificate excuses at most this many consecutive absent days (10) */
  maxExcusedDaysPerCertificate: number;
  /** an absence reported later than this time on the day itself is billed (09:00) */
  reportBy: LocalTime;
  /** what a billed absence costs */
  penalty: AbsencePenalty;
};

export const DEFAULT_ABSENCE_POLICY: AbsencePolicy = {
  certificateWithinHours: 72,
  maxExcusedDaysPerCertificate: 10,
  reportBy: '09:00',
  penalty: { kind: 'flat', cents: 375 },
};

// ---------------------------------------------------------------------------------------------------
// Closures and the school calendar
// ---------------------------------------------------------------------------------------------------

export type ClosureScope = { facilityId: string } | { activityId: string };

/** A "Fermeture" of a facility (all its activities) or of one activity, `from`…`to` both included. */
export type Closure = {
  closureId: string;
  scope: ClosureScope;
  from: LocalDate;
  to: LocalDate;
  /** French, shown to parents: "Fermeture estivale", "Journée pédagogique" */
  reason: string;
};

/**
 * A school year as the arrêté defines it: "L'année scolaire s'étend du jour de la rentrée des élèves au
 * jour précédant la rentrée suivante" — so the summer holidays belong to the year they end (as do the
 * account statements, September–August). Enrolments are per school year.
 */
export type SchoolYear = {
  /** '2026-2027' */
  id: string;
  /** the first day of school ("rentrée des élèves") */
  start: LocalDate;
  /** the day before the next rentrée (the last day of the summer holidays) */
  end: LocalDate;
  /** true when a date of it could not be confirmed from an official source (see official-school-calendar.ts) */
  provisional?: boolean;
};

export type HolidayKind = 'petites' | 'grandes';

/**
 * A school holiday period. Convention: `from` is the first day without school — the Saturday the
 * holidays start after the last class day — and `to` the last day without school — the Sunday
 * (or day) before classes restart. Both are included. The official "Vacances de la Toussaint
 * 2026 : fin des cours samedi 17 octobre, reprise lundi 2 novembre" gives from '2026-10-17',
 * to '2026-11-01'.
 */
export type HolidayPeriod = {
  /** 'Vacances de la Toussaint', 'Vacances de Noël', "Vacances d'Hiver", 'Vacances de Printemps', "Vacances d'Été", 'Pont de l'Ascension' */
  name: string;
  kind: HolidayKind;
  from: LocalDate;
  to: LocalDate;
  zone: Zone;
  /**
   * true when the dates could not be confirmed from an official source when they were entered: the
   * commune should check them (and fix them with `adjustCalendar`). Absent = confirmed.
   */
  provisional?: boolean;
};

/** The school calendar of one zone, as used by a commune (possibly adjusted, see calendar/). */
export type SchoolCalendar = {
  zone: Zone;
  schoolYears: SchoolYear[];
  holidays: HolidayPeriod[];
};

/** The kind of a day for the activities' periods and the planning grid. */
export type DayKind = 'public-holiday' | 'petites-vacances' | 'grandes-vacances' | 'wednesday' | 'school-day' | 'weekend';

// ---------------------------------------------------------------------------------------------------
// Type guards
// ---------------------------------------------------------------------------------------------------

const LOCAL_DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const LOCAL_TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** `YYYY-MM-DD` and a real calendar day (no 2027-02-30). */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string' || !LOCAL_DATE_RE.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** `HH:mm`, 00:00…23:59. */
export function isLocalTime(value: unknown): value is LocalTime {
  return typeof value === 'string' && LOCAL_TIME_RE.test(value);
}

export function isWeekday(value: unknown): value is Weekday {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 7;
}

export function isFacilityScope(scope: ClosureScope): scope is { facilityId: string } {
  return 'facilityId' in scope;
}

export function isActivityScope(scope: ClosureScope): scope is { activityId: string } {
  return 'activityId' in scope;
}
