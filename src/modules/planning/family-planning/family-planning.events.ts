/**
 * A family's planning, one stream per school year, `planning-<familyId>-<schoolYear>`: the children's
 * enrolments, and what the family asked for — reservations, cancellations, absences — once the booking rules
 * accepted it; and the endings the place allocator fed back. Two families never contend for the same
 * stream, so recording a request never waits for another family; a school year closes its stream, so a
 * family's long history never slows its commands (« closing the books »). Whether a requested day gets a
 * place is decided on the activity-day's allocation stream (allocation/allocation.events.ts).
 *
 * Families whose planning began before the split have a stream without a year, `planning-<familyId>`: it
 * receives nothing new, and its events are folded before the year streams' (see the command target).
 */
import { type EventOf, eventTable } from '../../../platform/domain/event-table';
import type { Instant, LocalDate, Weekday } from '../planning.types';

const PLANNING_STREAM_PREFIX = 'planning-';
const YEAR_STREAM = /^planning-(.+)-(\d{4}-\d{4})$/;

/** A family's planning for one school year ('2026-2027'). */
export type FamilyYear = { familyId: string; schoolYear: string };

/** The family's planning stream of a school year: its enrolments and its reservation, cancellation and absence requests. */
export function planningStream(familyId: string, schoolYear: string): string {
  return `${PLANNING_STREAM_PREFIX}${familyId}-${schoolYear}`;
}

/** The family's planning stream before the split by school year (read, never written). */
export function legacyPlanningStream(familyId: string): string {
  return `${PLANNING_STREAM_PREFIX}${familyId}`;
}

/** The family and the school year of a planning stream name (no year: the stream from before the split), or null. */
export function parsePlanningStream(streamId: string): { familyId: string; schoolYear: string | null } | null {
  const year = YEAR_STREAM.exec(streamId);
  if (year) return { familyId: year[1], schoolYear: year[2] };
  return streamId.startsWith(PLANNING_STREAM_PREFIX) && streamId.length > PLANNING_STREAM_PREFIX.length
    ? { familyId: streamId.slice(PLANNING_STREAM_PREFIX.length), schoolYear: null }
    : null;
}

/** The familyId of a planning stream name (either layout), or null when the stream is not a planning stream. */
export function familyIdFromPlanningStream(streamId: string): string | null {
  return parsePlanningStream(streamId)?.familyId ?? null;
}

/**
 * How a request is confirmed: 'automatic' (a place is enough) or 'staff' (an agent accepts or refuses
 * it). Copied from the activity when the request is recorded, so that the allocator needs no catalogue.
 */
export type ValidationMode = 'automatic' | 'staff';

/** A parent (or an agent for the family) booked a day; the booking rules accepted it. */
export type ReservationRequestedData = {
  requestId: string;
  childId: string;
  activityId: string;
  date: LocalDate;
  requestedAt: Instant;
  /** userId of the requester */
  requestedBy: string;
  validation: ValidationMode;
};

/**
 * A booked (or waiting) day is cancelled. `childId`, `activityId` and `date` are copied from the
 * reservation so that the allocation consumer routes the cancellation without reading the family stream.
 */
export type CancellationRequestedData = {
  /** the requestId of the reservation cancelled */
  requestId: string;
  childId: string;
  activityId: string;
  date: LocalDate;
  cancelledAt: Instant;
  /** userId of who cancelled */
  by: string;
};

/**
 * Per day of an absence: 'excused' (not billed), 'billed', or 'to-verify' (a certificate is awaited or
 * staff must check it: "Absence à vérifier" / "Absence en cours de traitement").
 */
export type AbsenceOutcome = 'excused' | 'billed' | 'to-verify';

export type AbsenceDayDecision = {
  date: LocalDate;
  outcome: AbsenceOutcome;
};

/** A medical certificate (or other proof) attached to an absence: the document itself is stored apart. */
export type AbsenceCertificate = {
  documentId: string;
  providedAt: Instant;
};

/** A child was reported absent from an activity on some booked days; the absence policy decided each day. */
export type AbsenceDeclaredData = {
  absenceId: string;
  childId: string;
  activityId: string;
  /** the absent days, in calendar order */
  days: LocalDate[];
  declaredAt: Instant;
  /** userId of who declared it */
  declaredBy: string;
  certificate?: AbsenceCertificate;
  /** one decision per day of `days`, same order */
  decisions: AbsenceDayDecision[];
};

/**
 * A child was enrolled ("inscription") in an activity for a school year. `regularDays` is the regular
 * contract ("contrat régulier", the « Régulier » cells of the planning grid): the weekdays booked by
 * default, ascending; empty for occasional attendance.
 */
export type ChildEnrolledData = {
  childId: string;
  activityId: string;
  /** '2026-2027' */
  schoolYear: string;
  regularDays: Weekday[];
  enrolledAt: Instant;
  /** userId of the agent */
  enrolledBy: string;
};

/** The enrolment ended: from now on the child cannot be booked in the activity for that school year. */
export type EnrolmentEndedData = {
  childId: string;
  activityId: string;
  schoolYear: string;
  endedAt: Instant;
  /** userId of the agent */
  endedBy: string;
};

/**
 * The allocator ended a request the family still counted as live (refused by staff, rejected or released
 * by a closure, an offer declined or expired): the day is free to ask again. Written by the outcome
 * workflow from the allocation stream, so the family's own stream knows what its requests became.
 */
export type ReservationEndedData = {
  requestId: string;
  reason: 'refused-by-staff' | 'rejected' | 'closure' | 'offer-expired' | 'offer-declined';
  endedAt: Instant;
};

type FamilyPlanningEventData = {
  ReservationRequested: ReservationRequestedData;
  CancellationRequested: CancellationRequestedData;
  AbsenceDeclared: AbsenceDeclaredData;
  ChildEnrolled: ChildEnrolledData;
  EnrolmentEnded: EnrolmentEndedData;
  ReservationEnded: ReservationEndedData;
};

/**
 * Personal data paths (crypto-shredding, see families.events.ts): the parents' user ids (`requestedBy`,
 * `by`, `declaredBy`) and the absence certificate (health data). Ids, dates, school years, weekdays,
 * instants and the agents' user ids stay in clear so that streams can be routed and projected.
 */
export const familyPlanningEvents = eventTable<FamilyPlanningEventData>({
  ReservationRequested: { version: 1, personalData: ['requestedBy'] },
  CancellationRequested: { version: 1, personalData: ['by'] },
  AbsenceDeclared: { version: 1, personalData: ['declaredBy', 'certificate'] },
  ChildEnrolled: { version: 1, personalData: [] },
  EnrolmentEnded: { version: 1, personalData: [] },
  ReservationEnded: { version: 1, personalData: [] },
});

/** Every event of a `planning-<familyId>` stream. */
export type FamilyPlanningEvent = EventOf<FamilyPlanningEventData>;
export type ReservationRequested = EventOf<FamilyPlanningEventData, 'ReservationRequested'>;
export type CancellationRequested = EventOf<FamilyPlanningEventData, 'CancellationRequested'>;
export type AbsenceDeclared = EventOf<FamilyPlanningEventData, 'AbsenceDeclared'>;
export type ChildEnrolled = EventOf<FamilyPlanningEventData, 'ChildEnrolled'>;
export type EnrolmentEnded = EventOf<FamilyPlanningEventData, 'EnrolmentEnded'>;
export type ReservationEnded = EventOf<FamilyPlanningEventData, 'ReservationEnded'>;
export type FamilyPlanningEventType = FamilyPlanningEvent['type'];
