/**
 * One family's planning, stream `planning-<familyId>`: its children's enrolments, and what the family
 * asked for — reservations, cancellations, absences. Pure: no framework, no I/O, no clock. Everything
 * the rules need comes in with the command: the time (`at`), the activity's configuration, the school
 * calendar, the closures, the public holidays and the family's category, loaded by the handler.
 *
 * The family stream records what the family asked, once the booking rules (rules/booking.rules.ts)
 * accepted it. Whether a requested day gets a place, waits, or is refused by staff is decided later in
 * the allocation stream of the activity-day (allocation/): a reservation here is 'requested' or
 * 'cancelled', never 'allocated'.
 *
 * Booked days are the reservations of this stream. A regular contract (ChildEnrolled.regularDays) says
 * which weekdays a child comes by default; turning it into reservations (RequestReservations sent by the
 * enrolment workflow) is what gives those days a place, a cancellation and an absence like any other.
 */
import { type CommandMeta, FAMILY_ROLES, STAFF_ROLES } from '../../../platform/domain/command-target';
import type { Decider, Decision } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import { assertNever } from '../../../platform/domain/exhaustive';
import { daysBetween, eachDay, instantMs } from '../calendar/local-date';
import { findSchoolYear, schoolYearOf } from '../calendar/school-calendar';
import {
  type AbsencePolicy,
  type Activity,
  type Closure,
  type Instant,
  isLocalDate,
  isWeekday,
  type LocalDate,
  type SchoolCalendar,
  type Weekday,
  WEEKDAY_NAMES_FR,
} from '../planning.types';
import { decideAbsence, type MedicalCertificate } from '../rules/absence.rules';
import { checkBooking, checkCancellation, type Refusal } from '../rules/booking.rules';
import { formatDateFr, formatPeriodFr } from '../rules/format-fr';
import type {
  AbsenceDeclared,
  CancellationRequested,
  ChildEnrolled,
  EnrolmentEnded,
  FamilyPlanningEvent,
  ReservationEnded,
  ReservationRequested,
} from './family-planning.events';

// ---------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------

/** At most this many days in one bulk request (a "semaine type" over a period, for several children). */
export const MAX_BULK_ITEMS = 1000;
/** An absence is declared for 31 consecutive days at most. */
export const MAX_ABSENCE_DAYS = 31;

/** Filled by the server for every command: the family concerned, when, and who. */
export type FamilyPlanningCommandMeta = CommandMeta & { familyId: string };

/** What the booking rules need besides the activity, loaded by the handler. */
export type BookingFacts = {
  calendar: SchoolCalendar;
  /** the closures in force of the activities' facilities (activeClosures of their catalogues) */
  closures: readonly Closure[];
  /** the public holidays of the years concerned */
  publicHolidays: readonly LocalDate[];
  /** the family's category for booking windows: 'resident', 'non-resident', … */
  familyCategory: string;
};

/** Staff: enrol a child in an activity for a school year, with its regular contract days. */
export type EnrolChild = FamilyPlanningCommandMeta & {
  type: 'EnrolChild';
  childId: string;
  activityId: string;
  /** '2026-2027' */
  schoolYear: string;
  /** the weekdays booked by default (contrat régulier); empty for occasional attendance */
  regularDays: Weekday[];
  /** the activity's current configuration (its periods tell which weekdays can be regular) */
  activity: Activity;
  /** the children on the family's record (the families context's): only they can be enrolled */
  familyChildIds: readonly string[];
};

/** Staff: end an enrolment (the child can no longer be booked in the activity that year). */
export type EndEnrolment = FamilyPlanningCommandMeta & {
  type: 'EndEnrolment';
  childId: string;
  activityId: string;
  schoolYear: string;
};

export type ReservationItem = {
  requestId: string;
  childId: string;
  activityId: string;
  date: LocalDate;
};

/** Book one day for one child. */
export type RequestReservation = FamilyPlanningCommandMeta &
  BookingFacts &
  ReservationItem & {
    type: 'RequestReservation';
    activity: Activity;
  };

/** Book many days at once (a "semaine type" over a period, several children), decided one by one. */
export type RequestReservations = FamilyPlanningCommandMeta &
  BookingFacts & {
    type: 'RequestReservations';
    items: ReservationItem[];
    /** the configuration of every activity of the items, by activityId */
    activities: Readonly<Record<string, Activity>>;
  };

/** Cancel a booked day (before the activity's cancellation deadline). */
export type CancelReservation = FamilyPlanningCommandMeta & {
  type: 'CancelReservation';
  /** the requestId of the reservation */
  requestId: string;
  activity: Activity;
  publicHolidays: readonly LocalDate[];
};

/** Report a child absent from an activity on the booked days of a period. */
export type DeclareAbsence = FamilyPlanningCommandMeta & {
  type: 'DeclareAbsence';
  absenceId: string;
  childId: string;
  activityId: string;
  from: LocalDate;
  to: LocalDate;
  /** a medical certificate, already uploaded: its document reference and when it was provided */
  certificate?: MedicalCertificate;
  /** the activity's absence policy */
  policy: AbsencePolicy;
};

/** The allocator's outcome fed back (system only): a request that ended frees its day. */
export type RecordReservationEnd = FamilyPlanningCommandMeta & {
  type: 'RecordReservationEnd';
  requestId: string;
  reason: ReservationEnded['data']['reason'];
};

export type FamilyPlanningCommand =
  RecordReservationEnd | EnrolChild | EndEnrolment | RequestReservation | RequestReservations | CancelReservation | DeclareAbsence;

// ---------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------

export type EnrolmentState = {
  childId: string;
  activityId: string;
  schoolYear: string;
  regularDays: Weekday[];
  enrolledAt: Instant;
  active: boolean;
};

export type ReservationStatus = 'requested' | 'cancelled' | 'ended';

/** A live reservation (asked for, not cancelled nor ended). */
export type ReservationState = {
  childId: string;
  activityId: string;
  date: LocalDate;
  status: 'requested';
};

/** A reservation that is over: what it was for, and how it ended (a late answer to it is told what happened). */
export type EndedReservation = { childId: string; activityId: string; date: LocalDate; status: 'cancelled' | 'ended' };

export type AbsenceState = {
  childId: string;
  activityId: string;
  days: LocalDate[];
};

/**
 * What the rules of one school year need (the stream is one family's school year): the enrolments, the live
 * reservations, the days already booked or declared absent, and the ids of the requests that are over.
 * Plain objects (no Map / Set): the state stays JSON-friendly (snapshots), like the other deciders.
 *
 * `evolve` updates the state it is given in place (the stream reader owns it; folding n events costs O(n));
 * `decide` never changes the state it is given.
 */
export type FamilyPlanningState = {
  /** by enrolmentKey(childId, activityId, schoolYear) */
  enrolments: Record<string, EnrolmentState>;
  /** the live reservations, by requestId */
  reservations: Record<string, ReservationState>;
  /**
   * the most recent requests that are over (cancelled by the family, ended by the allocator), by requestId:
   * a second cancellation or a late answer is told what happened; an older one is simply not found
   */
  ended: Record<string, EndedReservation>;
  /** the active reservation of each child, activity and day: bookingKey → requestId */
  booked: Record<string, string>;
  /** the most recent absences, by absenceId (a declaration sent twice is recognised) */
  absences: Record<string, AbsenceState>;
  /** the days already declared absent: bookingKey → absenceId */
  absentDays: Record<string, string>;
};

export function initialFamilyPlanningState(): FamilyPlanningState {
  return { enrolments: {}, reservations: {}, ended: {}, booked: {}, absences: {}, absentDays: {} };
}

/** Key of an enrolment (ids never contain '|': see catalogIdSchema and the server's ids). */
export function enrolmentKey(childId: string, activityId: string, schoolYear: string): string {
  return `${childId}|${activityId}|${schoolYear}`;
}

/** Key of a child's day in an activity. */
export function bookingKey(childId: string, activityId: string, date: LocalDate): string {
  return `${childId}|${activityId}|${date}`;
}

/** Whether the child has an enrolment in force in the activity for that school year. */
export function isEnrolled(state: FamilyPlanningState, childId: string, activityId: string, schoolYear: string): boolean {
  return state.enrolments[enrolmentKey(childId, activityId, schoolYear)]?.active === true;
}

/**
 * The school year of a day: the calendar's (rentrée … day before the next rentrée), or by the
 * September–August convention for a day outside the calendar.
 */
export function schoolYearFor(date: LocalDate, calendar: SchoolCalendar): string {
  return findSchoolYear(date, calendar)?.id ?? schoolYearOf(date);
}

// ---------------------------------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------------------------------

/** A bulk request answers day by day beside its events; every other command answers with its events alone. */
export const familyPlanningDecider: Decider<
  FamilyPlanningCommand,
  FamilyPlanningEvent,
  FamilyPlanningState,
  FamilyPlanningEvent[] | Decision<FamilyPlanningEvent, BulkItemResult[]>
> = {
  initialState: initialFamilyPlanningState,
  evolve,
  decide,
};

/** Updates the state in place (see FamilyPlanningState) and returns it. */
function evolve(state: FamilyPlanningState, event: FamilyPlanningEvent): FamilyPlanningState {
  switch (event.type) {
    case 'ChildEnrolled': {
      const { childId, activityId, schoolYear, regularDays, enrolledAt } = event.data;
      state.enrolments[enrolmentKey(childId, activityId, schoolYear)] = {
        childId,
        activityId,
        schoolYear,
        regularDays,
        enrolledAt,
        active: true,
      };
      return state;
    }
    case 'EnrolmentEnded': {
      const enrolment = state.enrolments[enrolmentKey(event.data.childId, event.data.activityId, event.data.schoolYear)];
      if (enrolment) enrolment.active = false;
      return state;
    }
    case 'ReservationRequested': {
      const { requestId, childId, activityId, date } = event.data;
      state.reservations[requestId] = { childId, activityId, date, status: 'requested' };
      state.booked[bookingKey(childId, activityId, date)] = requestId;
      return state;
    }
    case 'CancellationRequested':
      return end(state, event.data.requestId, 'cancelled');
    case 'ReservationEnded':
      return end(state, event.data.requestId, 'ended');
    case 'AbsenceDeclared': {
      const { absenceId, childId, activityId, days } = event.data;
      for (const day of days) state.absentDays[bookingKey(childId, activityId, day)] = absenceId;
      state.absences[absenceId] = { childId, activityId, days };
      keepMostRecent(state.absences, RECENT_KEPT);
      return state;
    }
    default:
      return assertNever(event);
  }
}

/**
 * A reservation is over: it leaves the live reservations and frees its day, and an absence declared for it
 * goes with it (a day booked again can be declared absent again).
 */
function end(state: FamilyPlanningState, requestId: string, status: EndedReservation['status']): FamilyPlanningState {
  const reservation = state.reservations[requestId];
  if (!reservation) return state;
  const key = bookingKey(reservation.childId, reservation.activityId, reservation.date);
  if (state.booked[key] === requestId) {
    delete state.booked[key];
    delete state.absentDays[key];
  }
  delete state.reservations[requestId];
  state.ended[requestId] = { childId: reservation.childId, activityId: reservation.activityId, date: reservation.date, status };
  keepMostRecent(state.ended, RECENT_KEPT);
  return state;
}

/** How many ended requests and absences the state remembers (the rest stays in the log and the read models). */
export const RECENT_KEPT = 200;

/** Forgets the oldest entries of a record beyond `max` (string keys keep their insertion order). */
function keepMostRecent(record: Record<string, unknown>, max: number): void {
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length - max; i++) delete record[keys[i]];
}

function decide(
  command: FamilyPlanningCommand,
  state: FamilyPlanningState,
): FamilyPlanningEvent[] | Decision<FamilyPlanningEvent, BulkItemResult[]> {
  requireRole(command);
  switch (command.type) {
    case 'EnrolChild':
      return enrolChild(command, state);
    case 'EndEnrolment':
      return endEnrolment(command, state);
    case 'RequestReservation': {
      const decision = decideReservation(command, command.activity, command, state);
      if (!decision.ok) throw decision.error;
      return [decision.event];
    }
    case 'RequestReservations': {
      const { events, results } = decideBulk(command, state);
      return { events, answer: results };
    }
    case 'CancelReservation':
      return cancelReservation(command, state);
    case 'DeclareAbsence':
      return declareAbsence(command, state);
    case 'RecordReservationEnd': {
      if (command.actor.role !== 'system')
        throw new DomainError('FORBIDDEN_ROLE', "Seul le portail enregistre l'issue d'une demande.", 'forbidden');
      // Already cancelled by the family, already ended, or unknown (delivered twice): nothing to record.
      if (!state.reservations[command.requestId]) return [];
      return [{ type: 'ReservationEnded', data: { requestId: command.requestId, reason: command.reason, endedAt: command.at } }];
    }
    default:
      return assertNever(command);
  }
}

// --- enrolments (staff) ------------------------------------------------------------------------------

function enrolChild(command: EnrolChild, state: FamilyPlanningState): ChildEnrolled[] {
  const { childId, activityId, schoolYear, activity } = command;
  if (!command.familyChildIds.includes(childId)) {
    throw new DomainError(
      'CHILD_NOT_FOUND',
      'Cet enfant ne figure pas au dossier de la famille : il ne peut pas y être inscrit.',
      'not_found',
      {
        childId,
      },
    );
  }
  requireSameActivity(activity, activityId);
  checkSchoolYear(schoolYear);
  if (isEnrolled(state, childId, activityId, schoolYear)) {
    throw new DomainError(
      'ALREADY_ENROLLED',
      `L'enfant est déjà inscrit à l'activité « ${activity.name} » pour l'année scolaire ${schoolYear}.`,
      'conflict',
      { childId, activityId, schoolYear },
    );
  }
  const regularDays = checkRegularDays(command.regularDays, activity);
  return [
    {
      type: 'ChildEnrolled',
      data: { childId, activityId, schoolYear, regularDays, enrolledAt: command.at, enrolledBy: command.actor.userId },
    },
  ];
}

function endEnrolment(command: EndEnrolment, state: FamilyPlanningState): EnrolmentEnded[] {
  const { childId, activityId, schoolYear } = command;
  if (!isEnrolled(state, childId, activityId, schoolYear)) {
    throw new DomainError(
      'ENROLMENT_NOT_FOUND',
      `Aucune inscription en cours de l'enfant à cette activité pour l'année scolaire ${schoolYear}.`,
      'not_found',
      { childId, activityId, schoolYear },
    );
  }
  return [
    {
      type: 'EnrolmentEnded',
      data: { childId, activityId, schoolYear, endedAt: command.at, endedBy: command.actor.userId },
    },
  ];
}

function checkSchoolYear(schoolYear: string): void {
  const match = /^(\d{4})-(\d{4})$/.exec(schoolYear);
  if (!match || Number(match[2]) !== Number(match[1]) + 1) {
    throw new DomainError('INVALID_SCHOOL_YEAR', `Année scolaire invalide (${schoolYear}) : format attendu « 2026-2027 ».`, 'invalid', {
      field: 'schoolYear',
    });
  }
}

/** Whether an activity can run on a weekday at all (in term time or in the holidays). */
function canRunOnWeekday(activity: Activity, weekday: Weekday): boolean {
  const { periods } = activity;
  if (weekday >= 6) return false;
  if (periods.weekdays && periods.weekdays.length > 0 && !periods.weekdays.includes(weekday)) return false;
  if (periods.petitesVacances || periods.grandesVacances) return true;
  return weekday === 3 ? periods.wednesdays : periods.schoolDays;
}

/** Distinct weekdays on which the activity runs, ascending. */
function checkRegularDays(regularDays: Weekday[], activity: Activity): Weekday[] {
  if (!regularDays.every(isWeekday) || new Set(regularDays).size !== regularDays.length) {
    throw new DomainError(
      'INVALID_REGULAR_DAYS',
      'Jours du contrat régulier invalides : des jours de 1 (lundi) à 5 (vendredi), sans doublon.',
      'invalid',
      { field: 'regularDays' },
    );
  }
  const impossible = regularDays.find((day) => !canRunOnWeekday(activity, day));
  if (impossible !== undefined) {
    throw new DomainError(
      'INVALID_REGULAR_DAYS',
      `L'activité « ${activity.name} » n'a pas lieu le ${WEEKDAY_NAMES_FR[impossible]} : ce jour ne peut pas faire partie du contrat régulier.`,
      'invalid',
      { field: 'regularDays', weekday: impossible },
    );
  }
  return [...regularDays].sort((a, b) => a - b);
}

// --- reservations --------------------------------------------------------------------------------------

type ReservationDecision = { ok: true; event: ReservationRequested } | { ok: false; error: DomainError };

function refused(code: string, message: string, kind: DomainError['kind'], details?: Record<string, unknown>): ReservationDecision {
  return { ok: false, error: new DomainError(code, message, kind, details) };
}

/** A refusal of the booking rules, as the domain error the API answers (422 with the rule's message). */
function ruleRefusal<Code extends string>(refusal: Refusal<Code>): DomainError {
  return new DomainError(refusal.code, refusal.message, 'invalid', refusal.details);
}

function holidayLookup(publicHolidays: readonly LocalDate[]): (date: LocalDate) => boolean {
  const days = new Set(publicHolidays);
  return (date) => days.has(date);
}

/** What a bulk request has already accepted, on top of the state (decide never changes the state). */
type BulkSoFar = { requestIds: Set<string>; booked: Map<string, string> };

/** One day for one child, against the state as it is and what the same bulk accepted before it. */
function decideReservation(
  item: ReservationItem,
  activity: Activity | undefined,
  command: FamilyPlanningCommandMeta & BookingFacts,
  state: FamilyPlanningState,
  isPublicHoliday: (date: LocalDate) => boolean = holidayLookup(command.publicHolidays),
  soFar: BulkSoFar = { requestIds: new Set(), booked: new Map() },
): ReservationDecision {
  const { requestId, childId, activityId, date } = item;
  if (!isLocalDate(date)) {
    return refused('INVALID_DATE', `Date invalide (${String(date)}) : format attendu AAAA-MM-JJ.`, 'invalid', { date });
  }
  if (!activity) {
    return refused('ACTIVITY_NOT_FOUND', 'Cette activité est introuvable.', 'not_found', { activityId });
  }
  if (activity.activityId !== activityId) {
    return { ok: false, error: activityMismatch(activity, activityId) };
  }
  if (state.reservations[requestId] || state.ended[requestId] || soFar.requestIds.has(requestId)) {
    return refused('REQUEST_ALREADY_EXISTS', 'Cette demande de réservation a déjà été enregistrée.', 'conflict', { requestId });
  }
  const key = bookingKey(childId, activityId, date);
  const existing = state.booked[key] ?? soFar.booked.get(key);
  if (existing) {
    return refused(
      'ALREADY_BOOKED',
      `Le ${formatDateFr(date)} est déjà réservé pour votre enfant à l'activité « ${activity.name} ».`,
      'conflict',
      { requestId: existing },
    );
  }
  const check = checkBooking({
    activity,
    date,
    now: command.at,
    enrolled: isEnrolled(state, childId, activityId, schoolYearFor(date, command.calendar)),
    familyCategory: command.familyCategory,
    calendar: command.calendar,
    closures: command.closures,
    isPublicHoliday,
  });
  if (!check.ok) return { ok: false, error: ruleRefusal(check) };
  return {
    ok: true,
    event: {
      type: 'ReservationRequested',
      data: {
        requestId,
        childId,
        activityId,
        date,
        requestedAt: command.at,
        requestedBy: command.actor.userId,
        validation: activity.validation,
      },
    },
  };
}

export type BulkItemResult = ReservationItem &
  ({ status: 'requested' } | { status: 'refused'; code: string; message: string; details?: Record<string, unknown> });

export type BulkDecision = {
  /** the ReservationRequested of the accepted items, in the order of the items */
  events: ReservationRequested[];
  /** one result per item, in the order of the items */
  results: BulkItemResult[];
};

/**
 * Decides every item in order, each against the state evolved by the items accepted before it (so a
 * day asked twice in one bulk is booked once, the second is ALREADY_BOOKED). A refused item does not
 * stop the others. The whole bulk is refused only when it is empty (422 NO_DAYS) or longer than
 * MAX_BULK_ITEMS (422 TOO_MANY_DAYS), or for the actor's role.
 */
export function decideBulk(command: RequestReservations, state: FamilyPlanningState): BulkDecision {
  requireRole(command);
  if (command.items.length === 0) {
    throw new DomainError('NO_DAYS', 'Choisissez au moins une journée à réserver.', 'invalid');
  }
  if (command.items.length > MAX_BULK_ITEMS) {
    throw new DomainError(
      'TOO_MANY_DAYS',
      `Une demande peut porter sur ${MAX_BULK_ITEMS} journées au plus (${command.items.length} demandées) : réduisez la période ou le nombre d'enfants.`,
      'invalid',
      { max: MAX_BULK_ITEMS, count: command.items.length },
    );
  }
  const isPublicHoliday = holidayLookup(command.publicHolidays);
  const events: ReservationRequested[] = [];
  const results: BulkItemResult[] = [];
  const soFar: BulkSoFar = { requestIds: new Set(), booked: new Map() };
  for (const { requestId, childId, activityId, date } of command.items) {
    const item: ReservationItem = { requestId, childId, activityId, date };
    const activity = Object.prototype.hasOwnProperty.call(command.activities, activityId) ? command.activities[activityId] : undefined;
    const decision = decideReservation(item, activity, command, state, isPublicHoliday, soFar);
    if (decision.ok) {
      events.push(decision.event);
      soFar.requestIds.add(requestId);
      soFar.booked.set(bookingKey(childId, activityId, date), requestId);
      results.push({ ...item, status: 'requested' });
    } else {
      const { code, message, details } = decision.error;
      results.push({ ...item, status: 'refused', code, message, ...(details ? { details } : {}) });
    }
  }
  return { events, results };
}

// --- cancellations -------------------------------------------------------------------------------------

function cancelReservation(command: CancelReservation, state: FamilyPlanningState): CancellationRequested[] {
  const reservation = state.reservations[command.requestId];
  if (!reservation) {
    throw new DomainError(
      'NOT_BOOKED',
      state.ended[command.requestId] ? 'Cette réservation a déjà été annulée.' : 'Aucune réservation ne correspond à cette demande.',
      'conflict',
      { requestId: command.requestId },
    );
  }
  const { activity } = command;
  if (activity.activityId !== reservation.activityId) throw activityMismatch(activity, reservation.activityId);
  const check = checkCancellation({
    activity,
    date: reservation.date,
    now: command.at,
    isPublicHoliday: holidayLookup(command.publicHolidays),
  });
  if (!check.ok) throw ruleRefusal(check);
  return [
    {
      type: 'CancellationRequested',
      data: {
        requestId: command.requestId,
        childId: reservation.childId,
        activityId: reservation.activityId,
        date: reservation.date,
        cancelledAt: command.at,
        by: command.actor.userId,
      },
    },
  ];
}

// --- absences ----------------------------------------------------------------------------------------

function declareAbsence(command: DeclareAbsence, state: FamilyPlanningState): AbsenceDeclared[] {
  const { absenceId, childId, activityId, from, to, certificate } = command;
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isLocalDate(value)) {
      throw new DomainError('INVALID_DATE', `Date invalide (${String(value)}) : format attendu AAAA-MM-JJ.`, 'invalid', { field });
    }
  }
  if (from > to) {
    throw new DomainError(
      'REVERSED_PERIOD',
      `La période d'absence se termine (${formatDateFr(to)}) avant de commencer (${formatDateFr(from)}).`,
      'invalid',
      { field: 'to' },
    );
  }
  if (daysBetween(from, to) + 1 > MAX_ABSENCE_DAYS) {
    throw new DomainError(
      'PERIOD_TOO_LONG',
      `Une absence se déclare pour ${MAX_ABSENCE_DAYS} jours au plus : déclarez plusieurs périodes.`,
      'invalid',
      { max: MAX_ABSENCE_DAYS },
    );
  }
  if (state.absences[absenceId]) {
    throw new DomainError('ABSENCE_ALREADY_EXISTS', 'Cette absence a déjà été enregistrée.', 'conflict', { absenceId });
  }
  if (certificate) checkCertificate(certificate, command.at);
  const period = eachDay(from, to);
  const years = [...new Set(period.map(schoolYearOf))];
  if (!years.some((year) => isEnrolled(state, childId, activityId, year))) {
    throw new DomainError(
      'NOT_ENROLLED',
      `Votre enfant n'est pas inscrit à cette activité pour l'année scolaire ${years.join(' / ')} : il n'y a pas d'absence à signaler.`,
      'invalid',
      { activityId, schoolYear: years.join(' / ') },
    );
  }
  const booked = period.filter((day) => state.booked[bookingKey(childId, activityId, day)] !== undefined);
  if (booked.length === 0) {
    throw new DomainError(
      'NOT_BOOKED',
      `Aucune journée n'est réservée pour votre enfant à cette activité ${formatPeriodFr(from, to)} : il n'y a pas d'absence à signaler.`,
      'conflict',
      { from, to },
    );
  }
  const days = booked.filter((day) => state.absentDays[bookingKey(childId, activityId, day)] === undefined);
  if (days.length === 0) {
    throw new DomainError(
      'ABSENCE_ALREADY_DECLARED',
      `L'absence de votre enfant ${formatPeriodFr(from, to)} a déjà été signalée.`,
      'conflict',
      { from, to },
    );
  }
  const decisions = decideAbsence({ days, declaredAt: command.at, ...(certificate ? { certificate } : {}), policy: command.policy });
  return [
    {
      type: 'AbsenceDeclared',
      data: {
        absenceId,
        childId,
        activityId,
        days,
        declaredAt: command.at,
        declaredBy: command.actor.userId,
        ...(certificate ? { certificate: { documentId: certificate.reference, providedAt: certificate.providedAt } } : {}),
        decisions: decisions.map(({ date, outcome }) => ({ date, outcome })),
      },
    },
  ];
}

function checkCertificate(certificate: MedicalCertificate, at: Instant): void {
  if (typeof certificate.reference !== 'string' || certificate.reference.trim().length === 0) {
    throw new DomainError('INVALID_CERTIFICATE', 'Certificat médical : indiquez la référence du document déposé.', 'invalid', {
      field: 'certificate.reference',
    });
  }
  const provided = Date.parse(certificate.providedAt);
  if (Number.isNaN(provided) || provided > instantMs(at)) {
    throw new DomainError(
      'INVALID_CERTIFICATE',
      'Certificat médical : la date de dépôt doit être un instant ISO, au plus tard maintenant.',
      'invalid',
      { field: 'certificate.providedAt' },
    );
  }
}

// --- shared guards -----------------------------------------------------------------------------------

function requireRole(command: FamilyPlanningCommand): void {
  const staffOnly = command.type === 'EnrolChild' || command.type === 'EndEnrolment';
  const allowed = staffOnly ? STAFF_ROLES : FAMILY_ROLES;
  if (!allowed.includes(command.actor.role)) {
    throw new DomainError(
      'FORBIDDEN_ROLE',
      staffOnly
        ? 'Les inscriptions aux activités sont enregistrées par les agents de la commune.'
        : 'Votre profil ne permet pas de modifier le planning de la famille.',
      'forbidden',
    );
  }
}

/** The configuration the handler loaded is not the activity asked for: a caller's mistake. */
function activityMismatch(activity: Activity, activityId: string): DomainError {
  return new DomainError(
    'ACTIVITY_MISMATCH',
    `La configuration fournie (${activity.activityId}) n'est pas celle de l'activité demandée (${activityId}).`,
    'invalid',
    { activityId, given: activity.activityId },
  );
}

function requireSameActivity(activity: Activity, activityId: string): void {
  if (activity.activityId !== activityId) throw activityMismatch(activity, activityId);
}
